package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * A state store granted by the server's request-state-store: the association, the token for it, where the store
 * is, and the encryption key for the user-state tool. Holds secrets: {@link #toString()} leaves them out.
 */
record Grant(String associationId, String operation, String token, URI storeUrl, String encryptionKey,
		String keyAlgorithm) {

	/** Asks the server for a state store for the operation ({@code CAPTURE} or {@code RESTORE}). */
	static Grant request(ServerConnection connection, Attempts attempts, String operation) {
		JsonNode answer = attempts.run("Requesting the state store",
				() -> connection.post("api/v1/mp/request-state-store", Map.of("operation", operation), null));
		return new Grant(answer.path("associationId").asString(), operation, answer.path("token").asString(),
				connection.resolve(answer.path("storeUrl").asString()), answer.path("encryptionKey").asString(),
				answer.path("keyAlgorithm").asString());
	}

	/**
	 * A new grant for the same association, when the server refused this one's token mid-transfer (it expired
	 * during a long transfer or a long wait between tries).
	 * @throws ClientFailure (refused) if the server now hands out another association
	 */
	Grant renewed(ServerConnection connection, Attempts attempts, Output output) {
		output.info("The server refused the token; asking for a new one");
		Grant next = request(connection, attempts, this.operation);
		if (!next.associationId().equals(this.associationId)) {
			throw ClientFailure.refused("The server now hands out association " + next.associationId()
					+ " instead of " + this.associationId + "; run the command again");
		}
		return next;
	}

	/**
	 * Releases the store with success: the capture or restore is done, the token spent. The server may have
	 * performed a release whose answer was lost; a later try then finds the token spent. In that case (only
	 * after a try whose outcome is unknown) the association's status decides: if it shows the release took
	 * effect, the release counts as done.
	 * @param done what the association looks like once this release took effect
	 */
	void release(ServerConnection connection, Attempts attempts, Output output, Released done) {
		int[] tries = { 0 };
		try {
			attempts.run("Releasing the state store", () -> {
				tries[0]++;
				return connection.post("api/v1/mp/release-state-store", Map.of("success", true), this.token);
			});
		}
		catch (ClientFailure failure) {
			if (tries[0] < 2 || !failure.tokenRefused() || !tookEffect(connection, attempts, done)) {
				throw failure;
			}
			output.info(failure.getMessage() + ", but the server had released the store already (its answer to "
					+ "an earlier try was lost): association " + this.associationId + " is " + done.state()
					+ " as expected");
		}
	}

	/** Whether the server's status of this computer shows the association as the release left it. */
	private boolean tookEffect(ServerConnection connection, Attempts attempts, Released done) {
		JsonNode status;
		try {
			status = attempts.run("Reading the status", () -> connection.get("api/v1/mp/status"));
		}
		catch (ClientFailure failure) {
			return false;
		}
		for (JsonNode association : status.path("associations")) {
			if (association.path("id").asString().equals(this.associationId)) {
				return done.matches(association);
			}
		}
		return false;
	}

	/**
	 * The association as a successful release leaves it: its state, and for a capture the size and SHA-256
	 * (hex) of the uploaded file ({@code null} when not checked).
	 */
	record Released(String state, Long size, String sha256) {

		static Released captured(long size, String sha256) {
			return new Released("CAPTURED", size, sha256);
		}

		static Released restored() {
			return new Released("RESTORED", null, null);
		}

		boolean matches(JsonNode association) {
			return this.state.equals(association.path("state").asString())
					&& (this.size == null || association.path("storeSizeBytes").asLong(-1) == this.size)
					&& (this.sha256 == null || this.sha256.equalsIgnoreCase(association.path("storeSha256").asString()));
		}

	}

	/** Tells the server, once and without waiting, that this capture or restore failed; the state stays. */
	void reportFailure(ServerConnection connection, String message) {
		try {
			connection.post("api/v1/mp/release-state-store", Map.of("success", false, "message", message), this.token);
		}
		catch (IOException | RuntimeException ex) {
			// the failure itself is what the command reports
		}
	}

	@Override
	public String toString() {
		return "Grant[" + this.operation + " of association " + this.associationId + "]";
	}

}
