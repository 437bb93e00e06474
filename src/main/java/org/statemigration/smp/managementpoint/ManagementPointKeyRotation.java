package org.statemigration.smp.managementpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.crypto.OwnerOnlyFiles;
import org.statemigration.smp.managementpoint.internal.TokenSigningKeys;

import org.springframework.stereotype.Service;

/**
 * The management point's part of key rotation: re-wraps the client CA key file under the current key-encryption
 * key and starts a new token-signing key. Older signing keys are not retired, so tokens they signed stay valid
 * until they expire.
 */
@Service
public class ManagementPointKeyRotation {

	private final KeyEncryptionKeys keys;

	private final TokenSigningKeys signingKeys;

	ManagementPointKeyRotation(KeyEncryptionKeys keys, TokenSigningKeys signingKeys) {
		this.keys = keys;
		this.signingKeys = signingKeys;
	}

	/**
	 * Re-wraps {@code ca.key.wrapped} in the given keys directory, replacing the file atomically.
	 * @return the key version that wrapped it before
	 */
	public int rewrapCertificateAuthorityKey(Path keysDir) {
		Path file = keysDir.resolve(CertificateAuthorityFiles.WRAPPED_KEY_FILE);
		try {
			byte[] wrapped = Files.readAllBytes(file);
			int before = KeyEncryptionKeys.versionOf(wrapped);
			OwnerOnlyFiles.writeAtomically(file, this.keys.rewrap(wrapped, CertificateAuthorityFiles.WRAPPING_CONTEXT));
			return before;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot re-wrap the client CA key " + file, ex);
		}
	}

	/** The key version that wraps {@code ca.key.wrapped} in the given keys directory. */
	public int certificateAuthorityKeyVersion(Path keysDir) {
		try {
			return KeyEncryptionKeys.versionOf(Files.readAllBytes(keysDir.resolve(CertificateAuthorityFiles.WRAPPED_KEY_FILE)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the client CA key in " + keysDir, ex);
		}
	}

	/**
	 * Creates a new token-signing key that signs every token issued from now on (by this process, and by servers
	 * started afterwards).
	 * @return the new key's id
	 */
	public String newTokenSigningKey() {
		return this.signingKeys.rotate();
	}

}
