package org.statemigration.smp.keys;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.crypto.WrappedSecretColumn;
import org.statemigration.smp.managementpoint.ManagementPointKeyRotation;

import org.springframework.stereotype.Service;

/**
 * Rotates the key-encryption key: appends a new version to the master key file, re-wraps every stored secret
 * under it (the blobs are untouched: only their wrapped data keys change), starts a new token-signing key and
 * records {@code keys.rotate}. Older versions stay in the file; an interrupted rotation is finished by running it
 * again.
 */
@Service
class KeyRotation {

	static final String ACTION = "keys.rotate";

	private final KeyEncryptionKeys keys;

	private final List<WrappedSecretColumn> columns;

	private final WrappedSecretRewrapper rewrapper;

	private final ManagementPointKeyRotation managementPoint;

	private final AuditLog audit;

	KeyRotation(KeyEncryptionKeys keys, List<WrappedSecretColumn> columns, WrappedSecretRewrapper rewrapper,
			ManagementPointKeyRotation managementPoint, AuditLog audit) {
		this.keys = keys;
		this.columns = columns;
		this.rewrapper = rewrapper;
		this.managementPoint = managementPoint;
		this.audit = audit;
	}

	KeyRotationSummary rotate() {
		int version = this.keys.addVersion();
		try {
			Map<String, Integer> rewrapped = new LinkedHashMap<>();
			for (WrappedSecretColumn column : this.columns) {
				rewrapped.merge(column.description(), this.rewrapper.rewrap(column), Integer::sum);
			}
			String kid = this.managementPoint.newTokenSigningKey();
			KeyRotationSummary summary = new KeyRotationSummary(version, rewrapped, kid);
			this.audit.recordAlone("system", ACTION, target(version), AuditOutcome.SUCCESS, detail(summary));
			return summary;
		}
		catch (RuntimeException ex) {
			recordFailure(version, ex);
			throw ex;
		}
	}

	private void recordFailure(int version, RuntimeException failure) {
		try {
			// the exception's class only: a message might quote a path or an id, never worth the risk here
			this.audit.recordAlone("system", ACTION, target(version), AuditOutcome.FAILURE,
					"interrupted by " + failure.getClass().getSimpleName() + "; run keys rotate again");
		}
		catch (RuntimeException ex) {
			failure.addSuppressed(ex);
		}
	}

	private static String target(int version) {
		return "key-encryption-key v" + version;
	}

	private static String detail(KeyRotationSummary summary) {
		return summary.rewrapped()
			.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining(", ", "version=" + summary.version() + ", re-wrapped: ",
					", new token-signing key " + summary.signingKeyId()));
	}

}
