package org.statemigration.smp.store.blob.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The scratch of an S3 location: a file of the JVM's temporary directory ({@code java.io.tmpdir}), readable by
 * the server's user only, deleted once its channel is closed. It is never durable, and the object store never sees
 * it; a crash may leave one behind in the temporary directory, which the system's own cleaning removes.
 */
final class LocalScratch implements SeekableByteChannel {

	private final FileChannel channel;

	private final Path file;

	private LocalScratch(FileChannel channel, Path file) {
		this.channel = channel;
		this.file = file;
	}

	static LocalScratch create() throws IOException {
		Path file;
		try {
			file = Files.createTempFile("smp-scratch-", ".spool",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		catch (UnsupportedOperationException ex) {
			file = Files.createTempFile("smp-scratch-", ".spool");
		}
		try {
			return new LocalScratch(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE), file);
		}
		catch (IOException ex) {
			Files.deleteIfExists(file);
			throw ex;
		}
	}

	@Override
	public int read(ByteBuffer destination) throws IOException {
		return this.channel.read(destination);
	}

	@Override
	public int write(ByteBuffer source) throws IOException {
		return this.channel.write(source);
	}

	@Override
	public long position() throws IOException {
		return this.channel.position();
	}

	@Override
	public SeekableByteChannel position(long position) throws IOException {
		this.channel.position(position);
		return this;
	}

	@Override
	public long size() throws IOException {
		return this.channel.size();
	}

	@Override
	public SeekableByteChannel truncate(long size) throws IOException {
		this.channel.truncate(size);
		return this;
	}

	@Override
	public boolean isOpen() {
		return this.channel.isOpen();
	}

	@Override
	public void close() throws IOException {
		try {
			this.channel.close();
		}
		finally {
			Files.deleteIfExists(this.file);
		}
	}

}
