package org.statemigration.smp.pki;

import java.nio.file.Path;

import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.pki.internal.CertificateAuthorityFiles;

import org.springframework.stereotype.Service;

/**
 * The PKI's part of key rotation: re-wraps the client CA key file under the current key-encryption key. The CA's
 * key itself and its certificate stay the same, so every issued certificate stays valid.
 */
@Service
public class PkiKeyRotation {

	private final KeyEncryptionKeys keys;

	PkiKeyRotation(KeyEncryptionKeys keys) {
		this.keys = keys;
	}

	/**
	 * Re-wraps {@code ca.key.wrapped} in the given keys directory, replacing the file atomically.
	 * @return the key version that wrapped it before
	 */
	public int rewrapCertificateAuthorityKey(Path keysDir) {
		return CertificateAuthorityFiles.rewrapKey(keysDir, this.keys);
	}

	/** The key version that wraps {@code ca.key.wrapped} in the given keys directory. */
	public int certificateAuthorityKeyVersion(Path keysDir) {
		return CertificateAuthorityFiles.keyVersion(keysDir);
	}

}
