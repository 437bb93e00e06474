package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code capture FILE}: asks for a state store for a capture, uploads the file (resumable where the server offers
 * it) and releases the store, which makes the association {@code CAPTURED}.
 */
@Command(name = "capture", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Captures this computer's user state: asks the server for a state store (this computer "
				+ "must be the source of an association), uploads FILE (USMT's .MIG) and releases the store. "
				+ "The upload resumes where it stopped after a network failure, also in a later run for the same "
				+ "file; the server checks the file's SHA-256 before it keeps anything.", "",
				"The user-state tool needs the association's encryption key before it writes FILE: run capture "
						+ "with --print-key (or --key-file) and without FILE first, then the tool, then capture "
						+ "FILE." },
		footer = { "", "The server is asked first: an association in a state that takes no capture is refused before "
				+ "FILE is read.", "", "Examples (a task sequence, Windows PE or full OS):",
				"  for /f %%%%k in ('smp.cmd capture --print-key') do set SMPKey=%%%%k",
				"  scanstate.exe C:\\USMT\\Store /i:MigDocs.xml /i:MigApp.xml /o ^",
				"      /encrypt:AES_256 /key:\"%%SMPKey%%\"",
				"  smp.cmd capture C:\\USMT\\Store\\USMT\\USMT.MIG", "",
				"  smp capture --key-file /run/smp.key", "  smp capture --retries 10 --retry-delay 30s state.mig", "",
				"Exit codes: 0 captured, 2 usage (no FILE, not enrolled), 3 not the source of any association, 4 "
						+ "refused (restore-only mode, no storage, over quota, wrong state, blocked certificate), "
						+ "5 network, 6 integrity (wrong server, damaged upload)." })
final class CaptureCommand implements Callable<Integer> {

	private static final int MAX_RENEWALS = 1;

	private final Output output;

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The file to upload (USMT's .MIG).")
	Path file;

	@Mixin
	KeyOptions key;

	@Mixin
	IdentityOption identity;

	@Mixin
	RetryOptions retry;

	@Mixin
	RenewOption renewal;

	@Option(names = "--upload", paramLabel = "METHOD", defaultValue = "auto",
			description = { "How to upload: auto (resumable if the server offers it, else one request), resumable "
					+ "(tus; fails if not offered), put (one streamed request, sent again whole after a failure, "
					+ "e.g. behind a proxy that does not pass PATCH) (default: ${DEFAULT-VALUE})." })
	UploadMethod uploadMethod;

	@Option(names = "--chunk-size", paramLabel = "BYTES", defaultValue = "16777216", hidden = true,
			description = "Bytes per resumable-upload request (default: ${DEFAULT-VALUE}).")
	long chunkSize;

	CaptureCommand(Output output) {
		this.output = output;
	}

	@Override
	public Integer call() throws IOException {
		if (this.file == null && !this.key.wanted()) {
			throw ClientFailure.usage("capture needs FILE, or --print-key / --key-file alone to get the key first");
		}
		if (this.file != null && !Files.isRegularFile(this.file)) {
			throw ClientFailure.usage(this.file + " is not a file");
		}
		if (this.chunkSize < 1) {
			throw ClientFailure.usage("--chunk-size must be at least 1");
		}
		Attempts attempts = this.retry.attempts(this.spec.commandLine(), this.output);
		Identity computer = this.renewal.renewedIfDue(Identity.load(this.identity.folder), attempts, this.output);
		ServerConnection connection = ServerConnection.of(computer);
		if (this.file == null) {
			Grant grant = Grant.request(connection, attempts, "CAPTURE");
			this.key.hand(grant, this.output);
			this.output.info("The store of association " + grant.associationId() + " is ready; run capture FILE "
					+ "once the user-state tool has written it");
			return 0;
		}
		long size = Files.size(this.file);
		// the server is asked first: an association that cannot take a capture is refused (naming its state)
		// before a byte of the file, perhaps many gigabytes, is read
		Grant grant = Grant.request(connection, attempts, "CAPTURE");
		this.key.hand(grant, this.output);
		byte[] sha256;
		try {
			Progress hashing = this.output.progress("Hashing", size);
			sha256 = FileDigest.sha256(this.file, hashing);
			hashing.done();
		}
		catch (IOException ex) {
			grant.reportFailure(connection, "smp client capture: cannot read the file: " + ex.getMessage());
			throw ex;
		}
		try {
			grant = upload(connection, computer, grant, size, sha256, attempts);
		}
		catch (ClientFailure failure) {
			if (failure.exitCode() != org.statemigration.smp.client.ExitCodes.NETWORK) {
				grant.reportFailure(connection, "smp client capture: " + failure.getMessage());
			}
			throw failure;
		}
		grant.release(connection, attempts, this.output,
				Grant.Released.captured(size, HexFormat.of().formatHex(sha256)));
		this.output.info("Captured " + Progress.size(size) + " (" + size + " bytes, SHA-256 "
				+ HexFormat.of().formatHex(sha256) + ") for association " + grant.associationId());
		return 0;
	}

	/** The values of {@code --upload}. */
	enum UploadMethod {

		auto, resumable, put

	}

	/** Uploads the file and returns the grant to release with (renewed if the first token expired meanwhile). */
	private Grant upload(ServerConnection connection, Identity computer, Grant grant, long size, byte[] sha256,
			Attempts attempts) throws IOException {
		boolean resumable = switch (this.uploadMethod) {
			case put -> false;
			case resumable -> true;
			case auto -> attempts.run("Asking for resumable uploads", () -> TusUpload.offered(connection, grant.token()));
		};
		Progress progress = this.output.progress("Uploading", size);
		if (resumable) {
			UploadJournal journal = new UploadJournal(computer.folder(), this.file, size,
					HexFormat.of().formatHex(sha256), grant.associationId());
			URI unfinished = journal.unfinished();
			this.output.info((unfinished != null) ? "Resuming the resumable upload started earlier"
					: "Uploading through a resumable upload");
			Grant used = new TusUpload(connection, grant, this.file, size, sha256, this.chunkSize, attempts, progress,
					this.output)
				.upload(unfinished, journal);
			journal.finished();
			progress.done();
			return used;
		}
		else {
			this.output.info("Uploading in one request" + ((this.uploadMethod == UploadMethod.auto)
					? " (the server offers no resumable uploads)" : ""));
			Grant used = put(connection, grant, size, sha256, attempts, progress);
			progress.done();
			return used;
		}
	}

	/**
	 * Uploads the file in one request; a token that expired in the meantime (while the file was hashed, or
	 * between tries) is renewed once for the same association and the file sent again.
	 */
	private Grant put(ServerConnection connection, Grant grant, long size, byte[] sha256, Attempts attempts,
			Progress progress) {
		Grant used = grant;
		for (int renewals = 0;; renewals++) {
			try {
				new StreamedPut(connection, used, this.file, size, sha256, attempts, progress).upload();
				return used;
			}
			catch (ClientFailure failure) {
				if (!failure.tokenRefused() || renewals >= MAX_RENEWALS) {
					throw failure;
				}
				used = used.renewed(connection, attempts, this.output);
				progress.at(0);
			}
		}
	}

}
