package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Remembers an unfinished resumable upload in the identity folder ({@code upload.properties}: which file, its
 * size and SHA-256, the association and the upload's address), so that the next {@code capture} of the same file
 * for the same association resumes it instead of sending everything again.
 */
final class UploadJournal {

	static final String FILE = "upload.properties";

	private final Path journal;

	private final Properties expected = new Properties();

	UploadJournal(Path identityFolder, Path file, long size, String sha256Hex, String associationId) {
		this.journal = identityFolder.resolve(FILE);
		this.expected.setProperty("file", file.toAbsolutePath().normalize().toString());
		this.expected.setProperty("size", Long.toString(size));
		this.expected.setProperty("sha256", sha256Hex);
		this.expected.setProperty("association", associationId);
	}

	/** The address of the unfinished upload of this very file for this association, or null. */
	URI unfinished() {
		try {
			if (Files.notExists(this.journal)) {
				return null;
			}
			Properties saved = new Properties();
			saved.load(new StringReader(Files.readString(this.journal)));
			String location = saved.getProperty("location");
			saved.remove("location");
			return (location != null && saved.equals(this.expected)) ? URI.create(location) : null;
		}
		catch (IOException | IllegalArgumentException ex) {
			return null;
		}
	}

	void started(URI location) throws IOException {
		Properties saved = new Properties();
		saved.putAll(this.expected);
		saved.setProperty("location", location.toString());
		StringWriter text = new StringWriter();
		saved.store(text, "smp client: an unfinished upload, resumed by the next capture of the same file");
		PrivateFiles.write(this.journal, text.toString());
	}

	void finished() throws IOException {
		Files.deleteIfExists(this.journal);
	}

}
