package org.statemigration.smp.pki.internal;

import org.statemigration.smp.association.IdentityMatch;

/**
 * What an enrolled computer receives: its name, its certificate and the CA certificate, all PEM, and how what it
 * presented of itself matched the computer its code was for ({@code null} when it presented nothing that did).
 */
public record EnrollmentResult(String computer, String certificate, String caCertificate, IdentityMatch matchedBy) {
}
