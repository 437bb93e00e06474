package org.statemigration.smp.pki.internal;

/**
 * What an enrolled computer receives: its name, its certificate and the CA certificate, all PEM.
 */
public record EnrollmentResult(String computer, String certificate, String caCertificate) {
}
