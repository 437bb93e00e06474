package org.statemigration.smp.association;

/**
 * What a computer is handed with the token of a capture or a restore: the association's encryption key and the
 * user accounts to migrate. Holds a secret: its text form hides the key.
 */
public record KeyAndAccounts(EncryptionKey key, UserAccounts userAccounts) {
}
