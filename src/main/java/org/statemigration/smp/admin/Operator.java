package org.statemigration.smp.admin;

import java.time.Instant;
import java.util.Set;

/**
 * An operator account as the API shows it: never with its password.
 */
public record Operator(String username, Set<Role> roles, boolean enabled, Instant createdAt, Instant updatedAt) {
}
