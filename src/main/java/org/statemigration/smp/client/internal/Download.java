package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A restore download: into a partial file next to the target, resumed with {@code Range} (and {@code If-Range},
 * so a store captured anew is not spliced onto an old one) after a failure or in a later run, checked against
 * the store's {@code Repr-Digest}, and only then moved into place in one step.
 */
final class Download {

	private static final int BUFFER = 256 * 1024;

	private final ServerConnection connection;

	private static final int MAX_RENEWALS = 3;

	private Grant grant;

	private final Attempts attempts;

	private final Output output;

	private final Duration stallTimeout;

	Download(ServerConnection connection, Grant grant, Attempts attempts, Output output, Duration stallTimeout) {
		this.connection = connection;
		this.grant = grant;
		this.attempts = attempts;
		this.output = output;
		this.stallTimeout = stallTimeout;
	}

	/** Downloads the store to the file and returns its size. */
	long to(Path target) throws IOException {
		Store store = this.attempts.run("Reading the state store's size", this::head);
		if (Files.isRegularFile(target) && Files.size(target) == store.size()
				&& MessageDigest.isEqual(FileDigest.sha256(target, null), store.sha256())) {
			this.output.info(target + " already holds this state store; not downloading it again");
			return store.size();
		}
		Path partial = partialFile(target, store);
		Progress progress = this.output.progress("Downloading", store.size());
		int renewals = 0;
		while (true) {
			long have = Files.exists(partial) ? Files.size(partial) : 0;
			if (have > store.size()) {
				Files.delete(partial);
				have = 0;
			}
			if (have == store.size()) {
				break;
			}
			try {
				if (get(partial, have, store, progress)) {
					this.attempts.progressed();
				}
			}
			catch (IOException ex) {
				this.attempts.failed("Downloading", ex);
			}
			catch (ClientFailure failure) {
				if (!failure.tokenRefused() || renewals++ >= MAX_RENEWALS) {
					throw failure;
				}
				this.grant = this.grant.renewed(this.connection, this.attempts, this.output);
			}
		}
		progress.done();
		if (!MessageDigest.isEqual(FileDigest.sha256(partial, null), store.sha256())) {
			Files.delete(partial);
			throw ClientFailure.integrity("The downloaded data does not match the store's SHA-256; it was discarded");
		}
		Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		return store.size();
	}

	/** The grant the download ended with: the first, or a new one if its token expired meanwhile. */
	Grant grant() {
		return this.grant;
	}

	/** The partial file's name carries the store's digest, so that it is resumed only for the same data. */
	private static Path partialFile(Path target, Store store) {
		String id = HexFormat.of().formatHex(store.sha256()).substring(0, 16);
		return target.toAbsolutePath().resolveSibling("." + target.getFileName() + "." + id + ".part");
	}

	private Store head() throws IOException {
		HttpRequest request = ServerConnection.bearer(HttpRequest.newBuilder(this.grant.storeUrl()), this.grant.token())
			.method("HEAD", HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<Void> response = this.connection.send(request, HttpResponse.BodyHandlers.discarding());
		if (response.statusCode() != 200) {
			throw ServerConnection.failure(response, "");
		}
		long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
		String etag = response.headers().firstValue("ETag").orElse(null);
		byte[] sha256 = reprDigest(response.headers().firstValue("Repr-Digest").orElse(""));
		if (size < 0 || sha256 == null) {
			throw ClientFailure.failed("The server sent no size or no Repr-Digest for the store", null);
		}
		return new Store(size, etag, sha256);
	}

	/** Appends to the partial file from {@code from}; true if it received any byte. */
	private boolean get(Path partial, long from, Store store, Progress progress) throws IOException {
		HttpRequest.Builder request = ServerConnection
			.bearer(HttpRequest.newBuilder(this.grant.storeUrl()), this.grant.token())
			.timeout(this.stallTimeout)
			.GET();
		if (from > 0) {
			request.header("Range", "bytes=" + from + "-");
			if (store.etag() != null) {
				request.header("If-Range", store.etag());
			}
		}
		HttpResponse<InputStream> response = this.connection.send(request.build(),
				HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream body = response.body()) {
			long position;
			if (response.statusCode() == 206 && contentRangeStart(response) == from) {
				position = from;
			}
			else if (response.statusCode() == 200) {
				position = 0;
			}
			else if (response.statusCode() == 416) {
				Files.deleteIfExists(partial);
				throw new TransientFailure("The server has less data than was downloaded; starting again");
			}
			else {
				throw ServerConnection.failure(response, new String(body.readNBytes(64 * 1024),
						java.nio.charset.StandardCharsets.UTF_8));
			}
			try (StallWatch watch = new StallWatch(this.stallTimeout, body)) {
				try {
					return copy(body, partial, position, progress, watch) > position;
				}
				catch (IOException ex) {
					throw watch.fired() ? new TransientFailure("No data for " + this.stallTimeout.toSeconds()
							+ " s: the download stalled") : ex;
				}
			}
		}
	}

	private static long copy(InputStream body, Path partial, long position, Progress progress, StallWatch watch)
			throws IOException {
		if (Files.notExists(partial)) {
			PrivateFiles.create(partial);
		}
		try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
			channel.truncate(position);
			byte[] buffer = new byte[BUFFER];
			long at = position;
			int read;
			while ((read = body.read(buffer)) != -1) {
				watch.progressed();
				ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, read);
				while (bytes.hasRemaining()) {
					at += channel.write(bytes, at);
				}
				progress.at(at);
			}
			watch.close();
			channel.force(false);
			return at;
		}
	}

	private static long contentRangeStart(HttpResponse<?> response) {
		String range = response.headers().firstValue("Content-Range").orElse("").strip().toLowerCase(Locale.ROOT);
		try {
			return range.startsWith("bytes ") ? Long.parseLong(range.substring(6, range.indexOf('-'))) : -1;
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	private static byte[] reprDigest(String header) {
		for (String member : header.split(",")) {
			String text = member.strip();
			if (text.toLowerCase(Locale.ROOT).startsWith("sha-256=:") && text.endsWith(":") && text.length() > 10) {
				try {
					return Base64.getDecoder().decode(text.substring(9, text.length() - 1));
				}
				catch (IllegalArgumentException ex) {
					return null;
				}
			}
		}
		return null;
	}

	private record Store(long size, String etag, byte[] sha256) {
	}

}
