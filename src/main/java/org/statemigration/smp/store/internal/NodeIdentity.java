package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.statemigration.smp.crypto.OwnerOnlyFiles;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This server's lasting identity among the servers that share a database: kept in {@code <data-dir>/node-id},
 * so that after a crash and restart it can tell its own unfinished uploads and reservations from those of
 * servers that are still running.
 */
@Component
public class NodeIdentity {

	private final String id;

	public NodeIdentity(@Value("${smp.data-dir}") Path dataDir) {
		this.id = readOrCreate(dataDir.resolve("node-id"));
	}

	public String id() {
		return this.id;
	}

	private static String readOrCreate(Path file) {
		try {
			if (Files.notExists(file)) {
				Files.createDirectories(file.getParent());
				OwnerOnlyFiles.writeAtomically(file, (UUID.randomUUID() + "\n").getBytes(StandardCharsets.US_ASCII));
			}
			return Files.readString(file, StandardCharsets.US_ASCII).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create " + file, ex);
		}
	}

}
