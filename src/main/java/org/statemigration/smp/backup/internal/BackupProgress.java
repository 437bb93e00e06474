package org.statemigration.smp.backup.internal;

/**
 * Hears what a backup does while it works: steps said in a line, and phases of bytes. The command prints them
 * ({@link Progress}); a server taking a backup for the command sends them over the local channel, and the command
 * prints them as if it did the work itself.
 */
public interface BackupProgress {

	/** A step, in a line. */
	void say(String line);

	/** A phase of {@code total} bytes starts. */
	void start(String phase, long total);

	/** {@code bytes} more of the phase are done. */
	void advance(long bytes);

	/** The phase ended. */
	void finish();

}
