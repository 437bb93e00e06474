package org.statemigration.smp.association;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A client computer known to the server.
 */
public record Computer(UUID id, String name, UUID smbiosGuid, List<String> macAddresses, Instant createdAt) {
}
