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

	/** Releases the store with success: the capture or restore is done, the token spent. */
	JsonNode release(ServerConnection connection, Attempts attempts) {
		return attempts.run("Releasing the state store",
				() -> connection.post("api/v1/mp/release-state-store", Map.of("success", true), this.token));
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
