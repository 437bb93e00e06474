package org.statemigration.smp.keys;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.crypto.WrappedSecretColumn;

import org.springframework.stereotype.Service;

/**
 * How many stored secrets each key-encryption key version wraps, so an operator can tell when an old version is
 * no longer needed.
 */
@Service
class KeyStatus {

	private final KeyEncryptionKeys keys;

	private final List<WrappedSecretColumn> columns;

	private final WrappedSecretRewrapper rewrapper;

	KeyStatus(KeyEncryptionKeys keys, List<WrappedSecretColumn> columns, WrappedSecretRewrapper rewrapper) {
		this.keys = keys;
		this.columns = columns;
		this.rewrapper = rewrapper;
	}

	/** Per kind of secret, the count of secrets by key version. */
	Map<String, Map<Integer, Integer>> secretsByVersion() {
		Map<String, Map<Integer, Integer>> result = new LinkedHashMap<>();
		for (WrappedSecretColumn column : this.columns) {
			Map<Integer, Integer> counts = result.computeIfAbsent(column.description(), (kind) -> new TreeMap<>());
			this.rewrapper.countByVersion(column).forEach((version, count) -> counts.merge(version, count, Integer::sum));
		}
		return result;
	}

	String describe() {
		StringBuilder text = new StringBuilder("Master key file ").append(this.keys.file())
			.append(": versions ")
			.append(this.keys.versions())
			.append(", current v")
			.append(this.keys.currentVersion());
		secretsByVersion().forEach((kind, counts) -> {
			text.append("\n  ").append(kind).append(':');
			if (counts.isEmpty()) {
				text.append(" none");
			}
			counts.forEach((version, count) -> text.append(" v").append(version).append('=').append(count));
		});
		return text.toString();
	}

}
