package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A capture as one streamed {@code PUT} to the store, for servers that do not offer resumable uploads. The body
 * comes straight from the file with its {@code Repr-Digest}; after a failure the whole file is sent again.
 */
final class StreamedPut {

	private final ServerConnection connection;

	private final Grant grant;

	private final Path file;

	private final long size;

	private final byte[] sha256;

	private final Attempts attempts;

	private final Progress progress;

	StreamedPut(ServerConnection connection, Grant grant, Path file, long size, byte[] sha256, Attempts attempts,
			Progress progress) {
		this.connection = connection;
		this.grant = grant;
		this.file = file;
		this.size = size;
		this.sha256 = sha256;
		this.attempts = attempts;
		this.progress = progress;
	}

	void upload() {
		this.attempts.run("Uploading", this::put);
	}

	private Void put() throws IOException {
		HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
				HttpRequest.BodyPublishers.ofInputStream(() -> FileDigest.range(this.file, 0, this.size, this.progress)),
				this.size);
		HttpRequest request = ServerConnection.bearer(HttpRequest.newBuilder(this.grant.storeUrl()), this.grant.token())
			.header("Content-Type", "application/octet-stream")
			.header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(this.sha256) + ":")
			.PUT((this.size > 0) ? body : HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<String> response = this.connection.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 201) {
			throw ServerConnection.failure(response, response.body());
		}
		return null;
	}

}
