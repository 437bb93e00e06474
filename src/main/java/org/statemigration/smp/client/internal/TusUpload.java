package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;

/**
 * A capture through the server's resumable uploads (tus 1.0.0): creates an upload of the file's length with the
 * SHA-256 of the whole file, sends it in chunks each with its own checksum, and after a failure asks the server
 * how far it got ({@code HEAD}) and goes on from there. The server commits the store when the last chunk is in.
 */
final class TusUpload {

	static final String PATH = "api/v1/uploads";

	private static final String VERSION = "1.0.0";

	private static final Duration CHUNK_TIMEOUT = Duration.ofMinutes(15);

	private final ServerConnection connection;

	private static final int MAX_RENEWALS = 3;

	private Grant grant;

	private final Path file;

	private final long size;

	private final byte[] sha256;

	private final long chunkSize;

	private final Attempts attempts;

	private final Progress progress;

	private final Output output;

	TusUpload(ServerConnection connection, Grant grant, Path file, long size, byte[] sha256, long chunkSize,
			Attempts attempts, Progress progress, Output output) {
		this.output = output;
		this.connection = connection;
		this.grant = grant;
		this.file = file;
		this.size = size;
		this.sha256 = sha256;
		this.chunkSize = chunkSize;
		this.attempts = attempts;
		this.progress = progress;
	}

	/** Whether the server offers tus 1.0.0 uploads ({@code OPTIONS} answers with {@code Tus-Version}). */
	static boolean offered(ServerConnection connection, String token) throws IOException {
		HttpRequest request = ServerConnection.bearer(HttpRequest.newBuilder(connection.resolve(PATH)), token)
			.timeout(Duration.ofMinutes(1))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<String> response = connection.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() >= 500) {
			throw ServerConnection.failure(response, response.body());
		}
		return response.headers().firstValue("Tus-Version").map((v) -> v.contains(VERSION)).orElse(false);
	}

	/**
	 * Uploads the file, resuming the upload at {@code location} if it is given and still there.
	 * @return the grant whose token completed the upload (a new one if the first expired meanwhile)
	 */
	Grant upload(URI location, UploadJournal journal) {
		long offset = (location != null) ? -1 : 0;
		int renewals = 0;
		while (true) {
			try {
				if (location == null) {
					Created created = create();
					location = created.location();
					journal.started(location);
					offset = created.offset();
				}
				else if (offset < 0) {
					offset = head(location);
					this.progress.at(offset);
				}
				if (offset == this.size) {
					// an upload of length 0 is complete when it is created
					return this.grant;
				}
				long next = patch(location, offset);
				if (next > offset) {
					this.attempts.progressed();
				}
				offset = next;
			}
			catch (UploadGone ex) {
				this.attempts.failed("Uploading", ex);
				location = null;
			}
			catch (ClientFailure failure) {
				if (!failure.tokenRefused() || renewals++ >= MAX_RENEWALS) {
					throw failure;
				}
				this.grant = this.grant.renewed(this.connection, this.attempts, this.output);
				offset = (location != null) ? -1 : 0;
			}
			catch (IOException ex) {
				this.attempts.failed("Uploading", ex);
				offset = -1;
			}
		}
	}

	private Created create() throws IOException {
		HttpRequest request = tus(HttpRequest.newBuilder(this.connection.resolve(PATH)))
			.timeout(Duration.ofMinutes(2))
			.header("Upload-Length", Long.toString(this.size))
			.header("Upload-Metadata", "sha256 " + Base64.getEncoder().encodeToString(this.sha256))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<String> response = this.connection.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 201) {
			throw ServerConnection.failure(response, response.body());
		}
		String location = response.headers()
			.firstValue("Location")
			.orElseThrow(() -> new TransientFailure("The server created an upload without a Location"));
		long offset = response.headers().firstValue("Upload-Offset").map(Long::parseLong).orElse(0L);
		return new Created(this.connection.resolve(location), offset);
	}

	private long head(URI location) throws IOException {
		HttpRequest request = tus(HttpRequest.newBuilder(location)).timeout(Duration.ofMinutes(2))
			.method("HEAD", HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<Void> response = this.connection.send(request, HttpResponse.BodyHandlers.discarding());
		if (response.statusCode() == 404 || response.statusCode() == 410) {
			throw new UploadGone(response.statusCode());
		}
		if (response.statusCode() == 401) {
			// an answer to HEAD has no body to name the problem; with a certificate that works, it is the token
			throw ClientFailure.refused("The server refused the token (401)", "token-invalid");
		}
		if (response.statusCode() / 100 != 2) {
			throw ServerConnection.failure(response, "");
		}
		return offset(response);
	}

	private long patch(URI location, long offset) throws IOException {
		long length = Math.min(this.chunkSize, this.size - offset);
		byte[] checksum;
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.READ)) {
			checksum = FileDigest.sha256(channel, offset, length, null);
		}
		HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers
			.ofInputStream(() -> FileDigest.range(this.file, offset, length, this.progress)), length);
		HttpRequest request = tus(HttpRequest.newBuilder(location)).timeout(CHUNK_TIMEOUT)
			.header("Content-Type", "application/offset+octet-stream")
			.header("Upload-Offset", Long.toString(offset))
			.header("Upload-Checksum", "sha256 " + Base64.getEncoder().encodeToString(checksum))
			.method("PATCH", (length > 0) ? body : HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<String> response = this.connection.send(request, HttpResponse.BodyHandlers.ofString());
		return switch (response.statusCode()) {
			case 204, 200 -> offset(response);
			case 404, 410 -> throw new UploadGone(response.statusCode());
			case 409 -> throw new TransientFailure("The server is at another offset than " + offset);
			case 460 -> throw new TransientFailure("The server received the chunk at " + offset + " damaged");
			default -> throw ServerConnection.failure(response, response.body());
		};
	}

	private HttpRequest.Builder tus(HttpRequest.Builder request) {
		return ServerConnection.bearer(request, this.grant.token()).header("Tus-Resumable", VERSION);
	}

	private static long offset(HttpResponse<?> response) throws TransientFailure {
		try {
			return Long.parseLong(response.headers()
				.firstValue("Upload-Offset")
				.orElseThrow(() -> new TransientFailure("The server's answer has no Upload-Offset")));
		}
		catch (NumberFormatException ex) {
			throw new TransientFailure("The server's Upload-Offset is not a number");
		}
	}

	private record Created(URI location, long offset) {
	}

	/** The upload no longer exists (expired, or removed by the server): a new one is created. */
	private static final class UploadGone extends TransientFailure {

		UploadGone(int status) {
			super("The upload is gone (" + status + ")");
		}

	}

}
