package org.statemigration.smp.store.blob.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A completed S3 object read from any position, one window at a time: each window is fetched whole by one ranged
 * GET ({@code Range: bytes=a-b}) into a buffer, and the connection goes back to the pool at once. A client that
 * reads slowly therefore holds a few MiB of memory, never an S3 connection, for as long as it takes.
 */
final class S3ReadChannel implements SeekableByteChannel {

	private final S3BlobStore store;

	private final String key;

	private final long size;

	private final int windowSize;

	private byte[] window;

	private long windowStart = -1;

	private int windowLength;

	private long position;

	private boolean open = true;

	S3ReadChannel(S3BlobStore store, String key, long size, int windowSize) {
		this.store = store;
		this.key = key;
		this.size = size;
		this.windowSize = (int) Math.max(1, Math.min(windowSize, size));
	}

	@Override
	public int read(ByteBuffer destination) throws IOException {
		ensureOpen();
		if (this.position >= this.size) {
			return -1;
		}
		if (this.position < this.windowStart || this.position >= this.windowStart + this.windowLength) {
			fetch(this.position);
		}
		int offset = (int) (this.position - this.windowStart);
		int n = Math.min(destination.remaining(), this.windowLength - offset);
		destination.put(this.window, offset, n);
		this.position += n;
		return n;
	}

	/** Fetches the window that starts at {@code from}. */
	private void fetch(long from) throws IOException {
		if (this.window == null) {
			this.window = new byte[this.windowSize];
		}
		long to = Math.min(this.size, from + this.windowSize) - 1;
		int expected = (int) (to - from + 1);
		this.windowStart = -1;
		try (InputStream range = this.store.call("read " + this.key, () -> this.store.client()
			.getObject((get) -> get.bucket(this.store.location().bucket())
				.key(this.key)
				.range("bytes=" + from + "-" + to)))) {
			int read = range.readNBytes(this.window, 0, expected);
			if (read != expected) {
				throw new IOException(this.store.where(this.key) + " ended after " + (from + read) + " of "
						+ this.size + " bytes");
			}
		}
		catch (software.amazon.awssdk.core.exception.SdkException ex) {
			throw new IOException("Reading " + this.store.where(this.key) + " failed: " + S3BlobStore.describe(ex), ex);
		}
		this.windowStart = from;
		this.windowLength = expected;
	}

	@Override
	public int write(ByteBuffer source) {
		throw new NonWritableChannelException();
	}

	@Override
	public long position() throws IOException {
		ensureOpen();
		return this.position;
	}

	@Override
	public SeekableByteChannel position(long position) throws IOException {
		ensureOpen();
		if (position < 0) {
			throw new IllegalArgumentException("Negative position");
		}
		this.position = position;
		return this;
	}

	@Override
	public long size() throws IOException {
		ensureOpen();
		return this.size;
	}

	@Override
	public SeekableByteChannel truncate(long size) {
		throw new NonWritableChannelException();
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	@Override
	public void close() {
		this.open = false;
		this.window = null;
	}

	private void ensureOpen() throws ClosedChannelException {
		if (!this.open) {
			throw new ClosedChannelException();
		}
	}

}
