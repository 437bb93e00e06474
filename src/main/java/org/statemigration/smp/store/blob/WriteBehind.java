package org.statemigration.smp.store.blob;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.springframework.core.task.AsyncTaskExecutor;

/**
 * Flushes a file being written to disk in the background, every few tens of megabytes. Without it the kernel
 * keeps gigabytes of an upload dirty in memory and the final fsync stalls the upload while they are all written;
 * with it the disk works while the network does, and the final fsync has little left to do. The flushes run on
 * the executor given (the transfer executor), one at a time per file.
 */
final class WriteBehind implements AutoCloseable {

	private static final long INTERVAL = 32L * 1024 * 1024;

	private final FileChannel channel;

	private final AsyncTaskExecutor flushers;

	private long unflushed;

	private Future<?> pending;

	WriteBehind(FileChannel channel, AsyncTaskExecutor flushers) {
		this.channel = channel;
		this.flushers = flushers;
	}

	/** Notes bytes written; starts a background flush when enough have gathered and none is running. */
	void written(long bytes) throws IOException {
		this.unflushed += bytes;
		if (this.unflushed >= INTERVAL && (this.pending == null || this.pending.isDone())) {
			check();
			this.unflushed = 0;
			this.pending = this.flushers.submitCompletable(() -> {
				this.channel.force(false);
				return null;
			});
		}
	}

	/** Waits for a running flush, then makes the whole file and its metadata durable. */
	void forceAll() throws IOException {
		check();
		this.channel.force(true);
	}

	private void check() throws IOException {
		if (this.pending == null) {
			return;
		}
		try {
			this.pending.get();
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof IOException io) ? io : new IOException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while flushing", ex);
		}
		finally {
			this.pending = null;
		}
	}

	/** Lets a running flush finish before the channel closes. */
	@Override
	public void close() {
		try {
			check();
		}
		catch (IOException ex) {
			// the write failed anyway; the caller deletes the file
		}
	}

}
