package org.statemigration.smp.association;

/**
 * How a computer that enrolled or asked for its status was recognised among the computers the server knows.
 */
public enum IdentityMatch {

	/** The name it gave is the computer's name. */
	NAME,

	/** Its name is another (it was renamed), but its SMBIOS UUID is the computer's. */
	SMBIOS_GUID,

	/** Its name is another and it gave no matching SMBIOS UUID, but one of its MAC addresses is the computer's. */
	MAC_ADDRESS;

	/** Whether the computer was recognised by its hardware rather than by its name. */
	public boolean byIdentity() {
		return this != NAME;
	}

}
