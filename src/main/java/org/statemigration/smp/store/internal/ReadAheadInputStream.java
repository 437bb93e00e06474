package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.statemigration.smp.store.internal.ChunkHandoff.Chunk;

import org.springframework.core.task.AsyncTaskExecutor;

/**
 * Reads (and so decrypts and authenticates) a stream ahead on a second thread, a few buffers at most, while the
 * request's thread writes what is ready to the client: a restore keeps both cores busy. The reading runs on the
 * transfer executor.
 */
public final class ReadAheadInputStream extends InputStream {

	private static final int CHUNK_SIZE = 256 * 1024;

	private static final int CHUNKS = 4;

	private final InputStream source;

	private final ChunkHandoff handoff = new ChunkHandoff(CHUNKS, CHUNK_SIZE);

	private final Future<?> reader;

	private Chunk current;

	private int position;

	private boolean ended;

	public ReadAheadInputStream(InputStream source, AsyncTaskExecutor executor) {
		this.source = source;
		this.reader = executor.submitCompletable(this::readAhead);
	}

	private Void readAhead() throws IOException {
		try {
			while (true) {
				Chunk chunk = this.handoff.empty();
				chunk.length = 0;
				int read = 0;
				while (chunk.length < chunk.bytes.length
						&& (read = this.source.read(chunk.bytes, chunk.length, chunk.bytes.length - chunk.length)) != -1) {
					chunk.length += read;
				}
				if (chunk.length > 0) {
					this.handoff.pass(chunk);
				}
				if (read == -1) {
					this.handoff.end();
					return null;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			this.handoff.fail(ex);
			throw ex;
		}
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		return (read(one, 0, 1) == -1) ? -1 : (one[0] & 0xff);
	}

	@Override
	public int read(byte[] bytes, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		if (this.current == null || this.position == this.current.length) {
			if (this.ended || !advance()) {
				return -1;
			}
		}
		int n = Math.min(length, this.current.length - this.position);
		System.arraycopy(this.current.bytes, this.position, bytes, offset, n);
		this.position += n;
		return n;
	}

	/**
	 * Writes the rest of the stream from the read-ahead buffers themselves, without copying it into a buffer of the
	 * caller's first.
	 */
	@Override
	public long transferTo(OutputStream out) throws IOException {
		long transferred = 0;
		while (true) {
			if (this.current != null && this.position < this.current.length) {
				int n = this.current.length - this.position;
				out.write(this.current.bytes, this.position, n);
				this.position = this.current.length;
				transferred += n;
			}
			if (this.ended || !advance()) {
				return transferred;
			}
		}
	}

	private boolean advance() throws IOException {
		if (this.current != null) {
			this.handoff.recycle(this.current);
		}
		this.current = this.handoff.next();
		this.position = 0;
		this.ended = (this.current == null);
		return !this.ended;
	}

	@Override
	public void close() throws IOException {
		this.handoff.fail(new IOException("The download was closed"));
		try {
			this.reader.get();
		}
		catch (ExecutionException ex) {
			// ended by the close itself, or failed already and reported to the reader
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.source.close();
		}
	}

}
