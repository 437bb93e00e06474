package org.statemigration.smp.audit.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.statemigration.smp.crypto.CryptoException;
import org.statemigration.smp.crypto.KeyEncryptionKeys;

import org.springframework.stereotype.Component;

/**
 * The keys of the audit chain: one per key-encryption key version, derived from it with a fixed label, so that
 * they live only in memory, never in the database or a log. Each event records the version whose key MACed it,
 * so a key rotation leaves older events checkable for as long as their version stays in the master key file.
 */
@Component
public class AuditKeys {

	static final String PURPOSE = "smp audit-log chain v1";

	private final KeyEncryptionKeys keys;

	private final Map<Integer, SecretKeySpec> derived = new ConcurrentHashMap<>();

	AuditKeys(KeyEncryptionKeys keys) {
		this.keys = keys;
	}

	/** The version new events are MACed with: the newest key-encryption key. */
	int currentVersion() {
		return this.keys.currentVersion();
	}

	/**
	 * The lowercase hex HMAC-SHA-256 of the given bytes under the audit key of the given version.
	 * @throws CryptoException if the master key file does not hold that version
	 */
	String mac(int version, byte[] encoded) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key(version));
			return HexFormat.of().formatHex(mac.doFinal(encoded));
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot compute an audit MAC", ex);
		}
	}

	/** Whether the hex MAC matches, compared in constant time. */
	boolean matches(int version, byte[] encoded, String expected) {
		return expected != null && MessageDigest.isEqual(mac(version, encoded).getBytes(), expected.getBytes());
	}

	private SecretKeySpec key(int version) {
		return this.derived.computeIfAbsent(version, (v) -> {
			byte[] bytes = this.keys.deriveKey(v, PURPOSE);
			try {
				return new SecretKeySpec(bytes, "HmacSHA256");
			}
			finally {
				Arrays.fill(bytes, (byte) 0);
			}
		});
	}

}
