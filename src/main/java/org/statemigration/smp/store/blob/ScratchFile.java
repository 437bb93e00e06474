package org.statemigration.smp.store.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.statemigration.smp.crypto.FileChannelSlices;

/**
 * A blob store's scratch: a local file that is deleted once its channel is closed. It stays visible under its name
 * while open: in a storage folder, a crash leaves it where the reconciliation finds it; in the temporary directory
 * of an S3 location, where the system's own cleaning removes it.
 */
public final class ScratchFile implements SeekableByteChannel {

	private final FileChannel channel;

	private final Path file;

	/**
	 * @param channel the file, open to read and write
	 * @param file where it lies, deleted when the channel is closed
	 */
	public ScratchFile(FileChannel channel, Path file) {
		this.channel = channel;
		this.file = file;
	}

	@Override
	public int read(ByteBuffer destination) throws IOException {
		return FileChannelSlices.read(this.channel, destination);
	}

	@Override
	public int write(ByteBuffer source) throws IOException {
		return FileChannelSlices.write(this.channel, source);
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
