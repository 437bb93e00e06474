package org.statemigration.smp.managementpoint;

/**
 * What an enrolled computer receives: its name, its certificate and the CA certificate, all PEM.
 */
public record EnrollmentResult(String computer, String certificate, String caCertificate) {
}
