package org.statemigration.smp.resilience;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.statemigration.smp.support.SeededStream;

/**
 * A seeded body that stops after {@code pauseAt} bytes, says so, and goes on only when told: a test takes
 * something away (the database, disk space) while a request is in the middle of its body.
 */
final class PausingStream extends InputStream {

	private final InputStream seeded;

	private final long pauseAt;

	private final CountDownLatch reached;

	private final CountDownLatch resume;

	private long read;

	/**
	 * @param skip bytes of the seeded blob to skip first (a chunk that goes on from an offset)
	 * @param length bytes to deliver
	 */
	PausingStream(long size, long seed, long skip, long length, long pauseAt, CountDownLatch reached,
			CountDownLatch resume) {
		try {
			InputStream blob = new SeededStream(size, seed);
			blob.skipNBytes(skip);
			this.seeded = new java.io.FilterInputStream(blob) {

				private long left = length;

				@Override
				public int read(byte[] b, int off, int len) throws IOException {
					if (this.left == 0) {
						return -1;
					}
					int n = super.read(b, off, (int) Math.min(len, this.left));
					if (n > 0) {
						this.left -= n;
					}
					return n;
				}

			};
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.pauseAt = pauseAt;
		this.reached = reached;
		this.resume = resume;
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		return (read(one, 0, 1) == -1) ? -1 : (one[0] & 0xff);
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		if (this.read == this.pauseAt) {
			this.reached.countDown();
			try {
				if (!this.resume.await(120, TimeUnit.SECONDS)) {
					throw new IOException("not resumed in time");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException();
			}
		}
		int allowed = (this.read < this.pauseAt) ? (int) Math.min(len, this.pauseAt - this.read) : len;
		int n = this.seeded.read(b, off, allowed);
		if (n > 0) {
			this.read += n;
		}
		return n;
	}

}
