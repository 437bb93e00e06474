package org.statemigration.smp.association;

/**
 * What an operator gives to create an association. Unknown computers are registered.
 */
public record NewAssociation(String sourceComputer, String destinationComputer, UserAccounts userAccounts,
		String notes) {
}
