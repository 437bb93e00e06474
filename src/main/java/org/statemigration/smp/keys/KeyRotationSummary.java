package org.statemigration.smp.keys;

import java.util.Map;

/**
 * What a rotation did: the new key-encryption key version, how many secrets of each kind were re-wrapped, and the
 * id of the new token-signing key (never any key material).
 */
record KeyRotationSummary(int version, Map<String, Integer> rewrapped, String signingKeyId) {

	int total() {
		return this.rewrapped.values().stream().mapToInt(Integer::intValue).sum();
	}

	String describe() {
		StringBuilder text = new StringBuilder("Key-encryption key version ").append(this.version)
			.append(" is now current. Re-wrapped:");
		this.rewrapped.forEach((kind, count) -> text.append("\n  ").append(kind).append(": ").append(count));
		text.append("\nNew token-signing key: ").append(this.signingKeyId);
		return text.toString();
	}

}
