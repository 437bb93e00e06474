package org.statemigration.smp.store.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.statemigration.smp.crypto.FileChannelSlices;

import org.springframework.core.task.AsyncTaskExecutor;

/**
 * A blob of a storage folder being written: {@code <id>.part}, flushed in the background as it grows
 * ({@link WriteBehind}), fsynced on {@link #force}, renamed to {@code <id>.smp} on {@link #commit}.
 */
final class FolderBlobWriter implements BlobWriter {

	private final FileChannel channel;

	private final Path part;

	private final Path finished;

	private final WriteBehind writeBehind;

	/** Whether the directory entry of the file is durable: a file just created is not, until the first force. */
	private boolean named;

	/** Whether bytes were written since the last force. */
	private boolean dirty;

	FolderBlobWriter(FileChannel channel, Path part, Path finished, boolean named, AsyncTaskExecutor flushes) {
		this.channel = channel;
		this.part = part;
		this.finished = finished;
		this.named = named;
		this.writeBehind = new WriteBehind(channel, flushes);
	}

	@Override
	public int write(ByteBuffer source) throws IOException {
		int written = FileChannelSlices.write(this.channel, source);
		this.dirty = true;
		this.writeBehind.written(written);
		return written;
	}

	@Override
	public int read(ByteBuffer destination) throws IOException {
		return FileChannelSlices.read(this.channel, destination);
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
		if (size < this.channel.size()) {
			this.channel.truncate(size);
			this.dirty = true;
		}
		return this;
	}

	@Override
	public void force() throws IOException {
		this.writeBehind.forceAll();
		this.dirty = false;
		if (!this.named) {
			FolderBlobStore.fsync(this.part.getParent());
			this.named = true;
		}
	}

	@Override
	public void commit() throws IOException {
		if (this.dirty) {
			this.writeBehind.forceAll();
		}
		close();
		Files.move(this.part, this.finished, StandardCopyOption.ATOMIC_MOVE);
		FolderBlobStore.fsync(this.part.getParent());
	}

	@Override
	public void abort() throws IOException {
		close();
		Files.deleteIfExists(this.part);
	}

	@Override
	public boolean isOpen() {
		return this.channel.isOpen();
	}

	/** Lets a running background flush finish, then closes the file; an unfinished blob stays as it is. */
	@Override
	public void close() throws IOException {
		try {
			this.writeBehind.close();
		}
		finally {
			this.channel.close();
		}
	}

}
