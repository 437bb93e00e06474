package org.statemigration.smp.backup.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.statemigration.smp.backup.internal.Manifest.UploadEntry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The answer of the local channel while a server writes a backup for the command: one JSON object per line
 * ({@value #MEDIA_TYPE}), the progress as the command would print it ({@code say}, {@code start},
 * {@code advance}, {@code finish}), then either {@code done} with what the command reports, or {@code failed}
 * with a problem document. An answer that ends without either broke off, and the backup is not finished.
 */
final class ChannelEvents {

	static final String MEDIA_TYPE = "application/x-ndjson";

	/** Advances are sent at most this often; the rest are added up. */
	private static final long ADVANCE_EVERY_NANOS = 200_000_000L;

	private static final JsonMapper json = JsonMapper.builder().build();

	private ChannelEvents() {
	}

	/**
	 * Sends the events down the answer, each line flushed at once. A line that cannot be sent (the command went
	 * away) throws {@link UncheckedIOException}, which ends the backup before its manifest is written.
	 */
	static final class Sender implements BackupProgress {

		private final OutputStream out;

		private long pending;

		private long lastAdvance = System.nanoTime();

		Sender(OutputStream out) {
			this.out = out;
		}

		@Override
		public synchronized void say(String line) {
			send(json.createObjectNode().put("event", "say").put("line", line));
		}

		@Override
		public synchronized void start(String phase, long total) {
			this.pending = 0;
			send(json.createObjectNode().put("event", "start").put("phase", phase).put("total", total));
		}

		@Override
		public synchronized void advance(long bytes) {
			this.pending += bytes;
			long now = System.nanoTime();
			if (now - this.lastAdvance >= ADVANCE_EVERY_NANOS) {
				this.lastAdvance = now;
				sendAdvance();
			}
		}

		@Override
		public synchronized void finish() {
			sendAdvance();
			send(json.createObjectNode().put("event", "finish"));
		}

		synchronized void done(BackupReport report) {
			ObjectNode done = json.createObjectNode()
				.put("event", "done")
				.put("schemaVersion", report.schemaVersion())
				.put("tables", report.tables())
				.put("stores", report.stores())
				.put("storesCopied", report.storesCopied())
				.put("bytesCopied", report.bytesCopied())
				.put("keysIncluded", report.keysIncluded());
			ArrayNode uploads = done.putArray("uploadsNotIncluded");
			report.uploadsNotIncluded()
				.forEach((upload) -> uploads.addObject()
					.put("associationId", upload.associationId().toString())
					.put("storeId", upload.storeId().toString()));
			send(done);
		}

		synchronized void failed(String detail) {
			ObjectNode failed = json.createObjectNode().put("event", "failed");
			failed.putObject("problem")
				.put("type", "urn:smp:problem:internal")
				.put("title", "Internal error")
				.put("status", 500)
				.put("detail", detail);
			send(failed);
		}

		private void sendAdvance() {
			if (this.pending > 0) {
				send(json.createObjectNode().put("event", "advance").put("bytes", this.pending));
				this.pending = 0;
			}
		}

		private void send(ObjectNode event) {
			try {
				this.out.write((json.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8));
				this.out.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("The backup command is no longer listening", ex);
			}
		}

	}

	/** One event read by the command. */
	record Event(String name, JsonNode body) {

		static Event parse(String line) {
			JsonNode body = json.readTree(line);
			return new Event(body.path("event").asString(), body);
		}

		/** Hands a progress event on; false if this is not one. */
		boolean replay(BackupProgress progress) {
			switch (this.name) {
				case "say" -> progress.say(this.body.path("line").asString());
				case "start" -> progress.start(this.body.path("phase").asString(), this.body.path("total").asLong());
				case "advance" -> progress.advance(this.body.path("bytes").asLong());
				case "finish" -> progress.finish();
				default -> {
					return false;
				}
			}
			return true;
		}

		BackupReport report() {
			List<UploadEntry> uploads = new ArrayList<>();
			for (JsonNode upload : this.body.path("uploadsNotIncluded")) {
				uploads.add(new UploadEntry(UUID.fromString(upload.path("associationId").asString()),
						UUID.fromString(upload.path("storeId").asString())));
			}
			return new BackupReport(this.body.path("schemaVersion").asString(), this.body.path("tables").asInt(),
					this.body.path("stores").asInt(), this.body.path("storesCopied").asInt(),
					this.body.path("bytesCopied").asLong(), uploads, this.body.path("keysIncluded").asBoolean());
		}

		String detail() {
			return this.body.path("problem").path("detail").asString();
		}

	}

}
