/**
 * Computers and computer associations: which source computer's user state goes to which destination, which user
 * accounts move, and the association's state from creation to deletion of its data. It also owns each
 * association's encryption key (the recovery information), kept wrapped by the master key.
 */
package org.statemigration.smp.association;
