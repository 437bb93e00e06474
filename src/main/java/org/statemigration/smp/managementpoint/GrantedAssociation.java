package org.statemigration.smp.managementpoint;

import java.util.UUID;

import org.statemigration.smp.association.KeyAndAccounts;

/**
 * The association a request for a state store was granted, with what the computer is handed for it.
 */
record GrantedAssociation(UUID id, KeyAndAccounts keyAndAccounts) {
}
