package org.statemigration.smp.association;

import java.util.List;

/**
 * What an operator gives to create an association. Unknown computers are registered; the SMBIOS UUIDs and MAC
 * addresses, all optional, are added to what is known of each computer.
 */
public record NewAssociation(String sourceComputer, String destinationComputer, UserAccounts userAccounts,
		String notes, String sourceSmbiosGuid, List<String> sourceMacAddresses, String destinationSmbiosGuid,
		List<String> destinationMacAddresses) {

	public NewAssociation(String sourceComputer, String destinationComputer, UserAccounts userAccounts, String notes) {
		this(sourceComputer, destinationComputer, userAccounts, notes, null, null, null, null);
	}

	/** The source computer's identity as given, checked ({@code sourceSmbiosGuid}, {@code sourceMacAddresses}). */
	public ComputerIdentity sourceIdentity() {
		return ComputerIdentity.of(this.sourceSmbiosGuid, this.sourceMacAddresses, "source");
	}

	/** The destination computer's identity as given, checked. */
	public ComputerIdentity destinationIdentity() {
		return ComputerIdentity.of(this.destinationSmbiosGuid, this.destinationMacAddresses, "destination");
	}

}
