package org.statemigration.smp.pki;

import java.util.UUID;

/**
 * A computer authenticated by its client certificate on this request.
 * @param thumbprint lowercase hex SHA-256 of the certificate's DER encoding
 */
public record EnrolledComputer(UUID computerId, String computerName, String certificateSerial, String thumbprint) {
}
