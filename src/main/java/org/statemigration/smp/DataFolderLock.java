package org.statemigration.smp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.support.EnvironmentPostProcessorApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * One server per data folder: the server holds an exclusive lock on {@value #FILE} in its data folder for as long as
 * its process lives (the operating system releases it when the process ends, however it ends), and a second server
 * started on the same folder stops before it opens or writes anything there, with one line that says so. Taken as
 * soon as the configuration is read, before the master key, the TLS files and the embedded database; added by the
 * application's {@code main} for the server only: the commands ({@code keys}, {@code verify}, {@code backup}) run
 * beside a running server on purpose. A command that runs beside none holds the embedded database instead: a
 * server started meanwhile stops with one line too.
 */
final class DataFolderLock implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	static final String FILE = "server.lock";

	private static final String H2_FILE = "jdbc:h2:file:";

	/** Kept for the life of the process: closing the channel would release the lock. */
	private static FileChannel held;

	@Override
	public int getOrder() {
		// once the configuration files and the environment are read, before anything else looks at the data folder
		return EnvironmentPostProcessorApplicationListener.DEFAULT_ORDER + 1;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		Path dataDir = Path.of(event.getEnvironment().getProperty("smp.data-dir", "./data")).toAbsolutePath().normalize();
		acquire(dataDir);
		embeddedDatabase(event.getEnvironment().getProperty("spring.datasource.url", ""))
			.ifPresent((database) -> checkDatabaseFree(dataDir, database));
	}

	/** The file of the embedded H2 database the URL names, if it names one on disk. */
	static Optional<Path> embeddedDatabase(String jdbcUrl) {
		if (!jdbcUrl.startsWith(H2_FILE)) {
			return Optional.empty();
		}
		String name = jdbcUrl.substring(H2_FILE.length()).split(";", 2)[0];
		if (name.isBlank() || name.startsWith("~")) {
			return Optional.empty();
		}
		return Optional.of(Path.of(name + ".mv.db").toAbsolutePath().normalize());
	}

	/**
	 * A command run beside no server ({@code backup}, {@code verify}, {@code keys}) opens the embedded database
	 * itself and holds its file, which H2 locks, until it ends. A server started meanwhile would fail in H2 with a
	 * long stack trace; it stops at once with one line instead.
	 * @throws InUseException if another process holds the database file
	 */
	static void checkDatabaseFree(Path dataDir, Path database) {
		if (!Files.isRegularFile(database)) {
			return;
		}
		try (FileChannel channel = FileChannel.open(database, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			FileLock lock = channel.tryLock();
			if (lock == null) {
				throw new InUseException("smp: another smp process (a command such as backup, verify or keys) holds "
						+ "the database " + database + " of the data folder " + dataDir + "; start the server once it "
						+ "has ended");
			}
			lock.release();
		}
		catch (IOException ex) {
			// H2 says what is wrong with the file when it opens it
		}
	}

	/**
	 * Takes the lock of the data folder, creating the folder if need be.
	 * @throws InUseException if another process holds it
	 */
	static synchronized void acquire(Path dataDir) {
		try {
			Files.createDirectories(dataDir);
			Path file = dataDir.resolve(FILE);
			FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
					StandardOpenOption.WRITE);
			FileLock lock = channel.tryLock();
			if (lock == null) {
				String holder = Files.readString(file, StandardCharsets.US_ASCII).trim();
				channel.close();
				throw new InUseException(dataDir, holder);
			}
			channel.truncate(0);
			channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
			channel.force(false);
			held = channel;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot lock the data folder " + dataDir + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Another process holds the data folder. Abandons the application's run without its failure report (a stack
	 * trace): the application's {@code main} says it in one line.
	 */
	static final class InUseException extends SpringApplication.AbandonedRunException {

		private final String message;

		InUseException(Path dataDir, String holder) {
			this("smp: another smp server" + (holder.matches("[0-9]+") ? " (process " + holder + ")" : "")
					+ " is using the data folder " + dataDir + "; stop it first, or give this server a data folder of "
					+ "its own (--smp.data-dir=...)");
		}

		InUseException(String message) {
			this.message = message;
		}

		@Override
		public String getMessage() {
			return this.message;
		}

	}

}
