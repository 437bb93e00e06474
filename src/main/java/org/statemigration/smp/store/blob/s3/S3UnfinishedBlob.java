package org.statemigration.smp.store.blob.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A look at the unfinished blob of a resumable upload on an S3 location, without settling anything: its header
 * (from the part ledger) and its size as far as the ledger and the pending object tell. Parts a server that died
 * left intended count as if they were stored whole, since a look cannot tell: the request that takes the upload's
 * lease settles them. Nothing but the header can be read.
 */
final class S3UnfinishedBlob implements SeekableByteChannel {

	private final byte[] head;

	private final long size;

	private long position;

	private boolean open = true;

	S3UnfinishedBlob(byte[] head, long size) {
		this.head = (head != null) ? head : new byte[0];
		this.size = size;
	}

	@Override
	public int read(ByteBuffer destination) throws IOException {
		ensureOpen();
		if (this.position >= this.size || this.head.length == 0) {
			return -1;
		}
		if (this.position >= this.head.length) {
			throw new IOException("Only the header of an unfinished S3 blob can be read without resuming it");
		}
		int n = Math.min(destination.remaining(), this.head.length - (int) this.position);
		destination.put(this.head, (int) this.position, n);
		this.position += n;
		return n;
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
	}

	private void ensureOpen() throws ClosedChannelException {
		if (!this.open) {
			throw new ClosedChannelException();
		}
	}

}
