package org.statemigration.smp.backup.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.crypto.OwnerOnlyFiles;
import org.statemigration.smp.problem.InvalidStateException;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A backup that the running server writes for the {@code backup} command, which cannot open the embedded database
 * that this server holds: the same {@link BackupWriter} and the same keys sealing as the command's own, its progress
 * sent to the command as {@link ChannelEvents}. One at a time; the server's process user writes the folder.
 */
@Component
public class LiveBackup {

	static final String ACTOR = "backup command (local channel)";

	private static final Log logger = LogFactory.getLog(LiveBackup.class);

	private final BackupWriter writer;

	private final KeyEncryptionKeys keys;

	private final Path dataDir;

	private final AtomicBoolean running = new AtomicBoolean();

	LiveBackup(BackupWriter writer, KeyEncryptionKeys keys, Environment environment) {
		this.writer = writer;
		this.keys = keys;
		this.dataDir = Path.of(environment.getRequiredProperty("smp.data-dir"));
	}

	/** The media type of the answer while the backup is written. */
	public static String mediaType() {
		return ChannelEvents.MEDIA_TYPE;
	}

	/**
	 * Checks the folder and takes the one turn; nothing is written yet.
	 * @param folder the backup's folder, absolute
	 * @throws ValidationException if the folder is not absolute or this process cannot write it
	 * @throws InvalidStateException if a backup is being written already
	 */
	public Turn begin(String folder) {
		if (folder == null || folder.isBlank() || !Path.of(folder).isAbsolute()) {
			throw new ValidationException("folder must be an absolute path");
		}
		Path path = Path.of(folder).normalize();
		try {
			OwnerOnlyFiles.createPrivateDirectory(path);
		}
		catch (IOException | SecurityException ex) {
			throw new ValidationException("The server cannot create " + path + " (the server's process user must be "
					+ "able to write the backup's folder): " + ex.getMessage());
		}
		if (!Files.isDirectory(path) || !Files.isWritable(path)) {
			throw new ValidationException("The server's process user cannot write " + path);
		}
		if (!this.running.compareAndSet(false, true)) {
			throw new InvalidStateException("The server is writing a backup already");
		}
		return new Turn(path);
	}

	/** The turn of one backup; {@link #write} ends it. */
	public final class Turn {

		private final Path folder;

		private Turn(Path folder) {
			this.folder = folder;
		}

		/**
		 * Writes the backup, sending its progress and its end down {@code out}.
		 * @param passphrase the passphrase that seals the keys into it, or null to leave them out; cleared here
		 */
		public void write(char[] passphrase, OutputStream out) {
			ChannelEvents.Sender sender = new ChannelEvents.Sender(out);
			logger.info("Writing a backup to " + this.folder + " for the backup command"
					+ ((passphrase != null) ? ", with the keys" : ""));
			try {
				BackupWriter.BackupSummary summary = LiveBackup.this.writer.write(this.folder, sender, ACTOR);
				if (passphrase != null) {
					BackupKeys.add(this.folder, LiveBackup.this.dataDir, LiveBackup.this.keys.file(), passphrase);
				}
				logger.info("Backup written to " + this.folder);
				sender.done(BackupReport.of(summary, passphrase != null));
			}
			catch (UncheckedIOException ex) {
				if (ex.getMessage() != null && ex.getMessage().startsWith("The backup command is no longer")) {
					logger.warn("The backup command went away; the backup in " + this.folder
							+ " was left unfinished (it has no manifest)");
					return;
				}
				failed(sender, ex);
			}
			catch (IOException | RuntimeException ex) {
				failed(sender, ex);
			}
			finally {
				if (passphrase != null) {
					Arrays.fill(passphrase, ' ');
				}
				LiveBackup.this.running.set(false);
			}
		}

		private void failed(ChannelEvents.Sender sender, Exception ex) {
			String message = RunFailures.message(ex);
			logger.warn("The backup to " + this.folder + " failed: " + message);
			try {
				sender.failed(message);
			}
			catch (UncheckedIOException gone) {
				// the command went away as well
			}
		}

	}

}
