package org.statemigration.smp.store.internal;

import java.util.Arrays;
import java.util.UUID;

import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.KeyEncryptionKeys;

import org.springframework.stereotype.Component;

/**
 * The data key of each stored version, kept only wrapped by the key-encryption keys with the version's id as
 * context, so that a wrapped key copied to another row does not unwrap. The raw bytes live no longer than a wrap
 * or an unwrap takes.
 */
@Component
public class VersionKeys {

	private final KeyEncryptionKeys keys;

	VersionKeys(KeyEncryptionKeys keys) {
		this.keys = keys;
	}

	/** The context a version's data key is wrapped with. */
	public static String context(UUID storeId) {
		return "data-key:" + storeId;
	}

	/** The key wrapped for the version's row. */
	public byte[] wrap(UUID storeId, DataKey key) {
		byte[] raw = key.bytes();
		try {
			return this.keys.wrap(raw, context(storeId));
		}
		finally {
			Arrays.fill(raw, (byte) 0);
		}
	}

	/** The version's data key; close it when done. */
	public DataKey unwrap(UUID storeId, byte[] wrapped) {
		byte[] raw = this.keys.unwrap(wrapped, context(storeId));
		try {
			return DataKey.of(raw);
		}
		finally {
			Arrays.fill(raw, (byte) 0);
		}
	}

	/** The version of the key-encryption keys that wraps new data keys, recorded in a new file's header. */
	public int currentVersion() {
		return this.keys.currentVersion();
	}

}
