package org.statemigration.smp.backup.internal;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.statemigration.smp.backup.internal.Manifest.FileEntry;

/**
 * The audit file in a backup: its lines up to the snapshot's newest event. The server goes on appending while the
 * backup runs, and a line past the restored chain's head would read as events deleted and the head rewritten. A
 * line torn by a crash is left out, as verification skips it.
 */
final class AuditFileCopy {

	static final String PATH = "audit/audit.log";

	private static final JsonMapper json = JsonMapper.builder().build();

	private AuditFileCopy() {
	}

	/** Copies the file's lines up to {@code head}; null if there is no audit file. */
	static FileEntry copy(Path auditFile, Path folder, long head) throws IOException {
		Path target = folder.resolve(PATH);
		Files.createDirectories(target.getParent());
		Path temporary = target.resolveSibling("audit.log.tmp");
		try (BufferedReader in = Files.newBufferedReader(auditFile, StandardCharsets.UTF_8);
				BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				Long seq = seq(line);
				if (seq != null && seq <= head) {
					out.write(line);
					out.write('\n');
				}
			}
		}
		catch (NoSuchFileException ex) {
			Files.deleteIfExists(temporary);
			Files.deleteIfExists(target);
			return null;
		}
		BackupFolder.sync(temporary);
		BackupFolder.moveDurably(temporary, target);
		return BackupFolder.entry(folder, target);
	}

	private static Long seq(String line) {
		if (line.isBlank()) {
			return null;
		}
		try {
			JsonNode node = json.readTree(line);
			return (node.isObject() && node.path("seq").isIntegralNumber()) ? node.path("seq").asLong() : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
