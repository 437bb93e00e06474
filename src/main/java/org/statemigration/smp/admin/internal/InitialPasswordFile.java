package org.statemigration.smp.admin.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.OwnerOnlyFiles;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The first administrator's password file, {@code <data-dir>/initial-admin-password} (mode 0600): written when the
 * account is created, deleted once its password is no longer the one in the file (changed by the administrator,
 * or reset by another), at once on the server where it changed, at the next start on the others.
 */
@Component
public class InitialPasswordFile {

	/** The first administrator's name. */
	public static final String USERNAME = "admin";

	static final String FILE_NAME = "initial-admin-password";

	/** How to change the password, for the log. */
	static final String HOW_TO_CHANGE = "sign in to the console and open Password (/console/password), or call "
			+ "POST /api/v1/me/password; the file is deleted once it is changed";

	private static final Log logger = LogFactory.getLog(InitialPasswordFile.class);

	private final Path file;

	InitialPasswordFile(@Value("${smp.data-dir}") Path dataDir) {
		this.file = dataDir.resolve(FILE_NAME);
	}

	Path path() {
		return this.file;
	}

	boolean exists() {
		return Files.exists(this.file);
	}

	void write(String password) {
		try {
			Files.createDirectories(this.file.toAbsolutePath().getParent());
			OwnerOnlyFiles.writeAtomically(this.file, (password + "\n").getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + this.file, ex);
		}
	}

	/** The password in the file, or null if there is none. */
	String read() {
		try {
			return Files.exists(this.file) ? Files.readString(this.file, StandardCharsets.UTF_8).strip() : null;
		}
		catch (IOException ex) {
			logger.warn("Cannot read " + this.file + ": " + ex.getMessage());
			return null;
		}
	}

	/**
	 * The password of {@code username} changed: if it is the first administrator, the file goes, once the change
	 * is committed (a change rolled back leaves the password in the file the one that works).
	 */
	public void passwordChanged(String username) {
		if (!USERNAME.equals(username)) {
			return;
		}
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					delete();
				}
			});
		}
		else {
			delete();
		}
	}

	void delete() {
		try {
			if (Files.deleteIfExists(this.file)) {
				logger.info("The first administrator's password was changed: deleted " + this.file);
			}
		}
		catch (IOException ex) {
			logger.warn("Could not delete " + this.file + " (delete it by hand): " + ex.getMessage());
		}
	}

}
