package org.statemigration.smp.support.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the nodes of a {@link Cluster} keep their blobs, all of them the same: the one place that says how the nodes
 * are configured for it and how a test lists what is stored there. Today a storage folder that every node reaches at
 * the same path (the nodes run on one machine); a bucket that every node reaches is another implementation of this
 * type, and nothing else in the cluster tests changes.
 */
public interface SharedStorage {

	/** The arguments that point a node at this storage. */
	List<String> nodeArguments();

	/**
	 * Every stored object, named {@code <association id>/<name>} as the storage names it ({@code <store id>.smp} for
	 * a committed blob, {@code .part}, {@code .spool}, {@code -<offset>.tail} for the rest).
	 */
	List<String> objects();

	/** One storage folder at {@code location}, shared by every node. */
	static SharedStorage folder(Path location) {
		return new Folder(location);
	}

	/** A folder on a file system that every node mounts at the same path. */
	record Folder(Path location) implements SharedStorage {

		@Override
		public List<String> nodeArguments() {
			return List.of("--smp.storage.folders[0].location=" + this.location.toAbsolutePath(),
					"--smp.storage.folders[0].min-free-space=0MB", "--smp.storage.folders[0].max-clients=1000");
		}

		@Override
		public List<String> objects() {
			if (Files.notExists(this.location)) {
				return List.of();
			}
			try (Stream<Path> files = Files.walk(this.location)) {
				// the health check's probe file comes and goes every few seconds in the folder itself
				return files.filter(Files::isRegularFile)
					.map((file) -> this.location.relativize(file).toString().replace('\\', '/'))
					.filter((name) -> !name.startsWith(".health-"))
					.sorted()
					.toList();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
