package org.statemigration.smp.audit.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.statemigration.smp.audit.AuditProperties;
import org.statemigration.smp.crypto.OwnerOnlyFiles;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The audit file: a second, append-only record of the chain outside the database, one JSON line per committed
 * event with its sequence number, what happened and its MAC (never the detail, never a secret), written with
 * fsync, owner-only. Someone who can write only the database cannot make it agree with a shortened or rewritten
 * chain. Lines are written after the event commits, so a rolled-back action leaves none; a server killed between
 * the commit and the write leaves the file one line short, which verification does not count against the chain.
 */
@Component
public class AuditFile {

	private static final Log logger = LogFactory.getLog(AuditFile.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Path file;

	AuditFile(AuditProperties properties) {
		this.file = properties.file().toAbsolutePath().normalize();
	}

	/** Appends the line once the current transaction commits (at once without one). */
	void appendAfterCommit(AuditFileLine line) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			appendQuietly(line);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				appendQuietly(line);
			}
		});
	}

	private void appendQuietly(AuditFileLine line) {
		try {
			append(line);
		}
		catch (IOException | UncheckedIOException ex) {
			// the event is committed in the database; only the file's copy of it is missing
			logger.error("Audit event " + line.seq() + " could not be added to the audit file " + this.file + ": "
					+ ex.getMessage());
		}
	}

	synchronized void append(AuditFileLine line) throws IOException {
		byte[] bytes = (json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
		boolean created = Files.notExists(this.file);
		if (created) {
			create();
		}
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			channel.force(false);
		}
	}

	private void create() throws IOException {
		Path directory = this.file.getParent();
		OwnerOnlyFiles.createPrivateDirectory(directory);
		try {
			Files.createFile(this.file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		catch (UnsupportedOperationException ex) {
			Files.createFile(this.file);
		}
		try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
			dir.force(true);
		}
		catch (IOException ex) {
			// some file systems cannot sync a directory; the file itself is synced on each append
		}
	}

	/**
	 * Reads the file in order, handing over the lines in chunks of at most {@code chunkSize}. A line that cannot be
	 * read (one torn by a crash mid-write) is skipped.
	 * @return the number of lines handed over
	 */
	long read(int chunkSize, Consumer<List<AuditFileLine>> chunks) {
		long count = 0;
		try (BufferedReader reader = Files.newBufferedReader(this.file, StandardCharsets.UTF_8)) {
			List<AuditFileLine> chunk = new ArrayList<>(chunkSize);
			for (String text = reader.readLine(); text != null; text = reader.readLine()) {
				AuditFileLine line = parse(text);
				if (line == null) {
					continue;
				}
				chunk.add(line);
				count++;
				if (chunk.size() == chunkSize) {
					chunks.accept(chunk);
					chunk = new ArrayList<>(chunkSize);
				}
			}
			if (!chunk.isEmpty()) {
				chunks.accept(chunk);
			}
			return count;
		}
		catch (NoSuchFileException ex) {
			return count;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the audit file " + this.file, ex);
		}
	}

	private static AuditFileLine parse(String text) {
		if (text.isBlank()) {
			return null;
		}
		try {
			AuditFileLine line = json.readValue(text, AuditFileLine.class);
			return (line.mac() != null) ? line : null;
		}
		catch (JacksonException ex) {
			logger.debug("Skipped an unreadable line of the audit file");
			return null;
		}
	}

	Path path() {
		return this.file;
	}

}
