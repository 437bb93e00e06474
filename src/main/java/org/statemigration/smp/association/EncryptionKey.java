package org.statemigration.smp.association;

/**
 * An association's encryption key as handed to the client's user-state tool (for USMT, {@code /key} with
 * {@code /encrypt:AES_256}). A secret: never log it.
 */
public record EncryptionKey(String key, String algorithm) {

	@Override
	public String toString() {
		return "EncryptionKey[" + this.algorithm + ", ****]";
	}

}
