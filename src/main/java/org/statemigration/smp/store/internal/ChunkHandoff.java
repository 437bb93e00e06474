package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands filled buffers from one thread to another through a small fixed pool, so that the two halves of a
 * transfer (network and TLS on one side, hashing, AES-GCM and disk on the other) run on both cores at once; the
 * other half runs on the transfer executor ({@link TransferExecutorConfiguration}). Memory is the pool, whatever
 * the size of the transfer. A failure on either side ends both.
 */
final class ChunkHandoff {

	private static final Chunk END = new Chunk(0);

	private final BlockingQueue<Chunk> free;

	private final BlockingQueue<Chunk> full;

	private volatile Throwable failure;

	ChunkHandoff(int chunks, int chunkSize) {
		this.free = new ArrayBlockingQueue<>(chunks);
		this.full = new ArrayBlockingQueue<>(chunks + 1);
		for (int i = 0; i < chunks; i++) {
			this.free.add(new Chunk(chunkSize));
		}
	}

	/** An empty buffer to fill; waits while all are in use. */
	Chunk empty() throws IOException {
		return take(this.free);
	}

	/** Passes a filled buffer to the other side. */
	void pass(Chunk chunk) throws IOException {
		put(chunk);
	}

	/** Tells the other side that nothing more comes. */
	void end() throws IOException {
		put(END);
	}

	/** The next filled buffer, or null after {@link #end()}. */
	Chunk next() throws IOException {
		Chunk chunk = take(this.full);
		return (chunk == END) ? null : chunk;
	}

	/** Gives a buffer back once its bytes are used. */
	void recycle(Chunk chunk) {
		this.free.offer(chunk);
	}

	/** Ends the transfer on both sides: whoever waits next gets the failure. */
	void fail(Throwable cause) {
		if (this.failure == null) {
			this.failure = cause;
		}
	}

	private Chunk take(BlockingQueue<Chunk> queue) throws IOException {
		try {
			while (true) {
				checkFailure();
				Chunk chunk = queue.poll(100, TimeUnit.MILLISECONDS);
				if (chunk != null) {
					return chunk;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted during a transfer");
		}
	}

	private void put(Chunk chunk) throws IOException {
		try {
			while (!this.full.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
				checkFailure();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted during a transfer");
		}
	}

	private void checkFailure() throws IOException {
		Throwable cause = this.failure;
		if (cause != null) {
			throw (cause instanceof IOException io) ? new IOException(io.getMessage(), io)
					: new IOException("The other side of the transfer failed", cause);
		}
	}

	/** A buffer and how much of it holds data. */
	static final class Chunk {

		final byte[] bytes;

		int length;

		Chunk(int size) {
			this.bytes = new byte[size];
		}

	}

}
