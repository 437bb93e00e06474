package org.statemigration.smp.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/**
 * A seekable channel over a growable byte array, so that tests can tamper with ciphertext in memory and read
 * it through the non-{@code FileChannel} path of the reader.
 */
final class ByteArrayChannel implements SeekableByteChannel {

	private byte[] bytes;

	private int size;

	private int position;

	private boolean open = true;

	ByteArrayChannel() {
		this(new byte[0]);
	}

	ByteArrayChannel(byte[] bytes) {
		this.bytes = bytes.clone();
		this.size = bytes.length;
	}

	byte[] toByteArray() {
		return Arrays.copyOf(this.bytes, this.size);
	}

	@Override
	public int read(ByteBuffer destination) throws IOException {
		checkOpen();
		if (this.position >= this.size) {
			return -1;
		}
		int n = Math.min(destination.remaining(), this.size - this.position);
		destination.put(this.bytes, this.position, n);
		this.position += n;
		return n;
	}

	@Override
	public int write(ByteBuffer source) throws IOException {
		checkOpen();
		int n = source.remaining();
		if (this.position + n > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, Math.max(this.position + n, this.bytes.length * 2));
		}
		source.get(this.bytes, this.position, n);
		this.position += n;
		this.size = Math.max(this.size, this.position);
		return n;
	}

	@Override
	public long position() {
		return this.position;
	}

	@Override
	public SeekableByteChannel position(long newPosition) {
		this.position = Math.toIntExact(newPosition);
		return this;
	}

	@Override
	public long size() {
		return this.size;
	}

	@Override
	public SeekableByteChannel truncate(long newSize) {
		this.size = (int) Math.min(this.size, newSize);
		this.position = Math.min(this.position, this.size);
		return this;
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	@Override
	public void close() {
		this.open = false;
	}

	private void checkOpen() throws IOException {
		if (!this.open) {
			throw new ClosedChannelException();
		}
	}

}
