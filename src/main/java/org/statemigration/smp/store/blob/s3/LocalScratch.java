package org.statemigration.smp.store.blob.s3;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.statemigration.smp.store.blob.ScratchFile;

/**
 * The scratch of an S3 location: a {@link ScratchFile} in the JVM's temporary directory ({@code java.io.tmpdir}),
 * readable by the server's user only, deleted once its channel is closed. It is never durable, and the object store
 * never sees it; a crash may leave one behind in the temporary directory, which the system's own cleaning removes.
 */
final class LocalScratch {

	private LocalScratch() {
	}

	static ScratchFile create() throws IOException {
		Path file;
		try {
			file = Files.createTempFile("smp-scratch-", ".spool",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		catch (UnsupportedOperationException ex) {
			file = Files.createTempFile("smp-scratch-", ".spool");
		}
		try {
			return new ScratchFile(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE), file);
		}
		catch (IOException ex) {
			Files.deleteIfExists(file);
			throw ex;
		}
	}

}
