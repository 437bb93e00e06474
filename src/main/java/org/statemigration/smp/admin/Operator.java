package org.statemigration.smp.admin;

import java.time.Instant;
import java.util.Set;

/**
 * An operator account as the API shows it: never with its password.
 * @param passwordChangeRequired the password was reset by an administrator, and the operator must change it
 * before doing anything else
 */
public record Operator(String username, Set<Role> roles, boolean enabled, boolean passwordChangeRequired,
		Instant createdAt, Instant updatedAt) {
}
