package org.statemigration.smp.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request body of {@link SeededStream} bytes that stops after a while until the test lets it go on: the test
 * takes something away (disk space, the object store) while an upload is in the middle of its body.
 */
public final class PausingBody extends InputStream {

	private final SeededStream bytes;

	private final CountDownLatch resume;

	private long pauseAt;

	/**
	 * @param pauseAt bytes delivered before the pause
	 * @param resume counted down by the test to let the rest go; waited for at most a minute
	 */
	public PausingBody(long size, long seed, long pauseAt, CountDownLatch resume) {
		this.bytes = new SeededStream(size, seed);
		this.pauseAt = pauseAt;
		this.resume = resume;
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		return (read(one, 0, 1) == -1) ? -1 : one[0] & 0xff;
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		if (this.pauseAt == 0) {
			awaitResume();
			this.pauseAt = -1;
		}
		int allowed = (this.pauseAt > 0) ? (int) Math.min(len, this.pauseAt) : len;
		int read = this.bytes.read(b, off, allowed);
		if (read > 0 && this.pauseAt > 0) {
			this.pauseAt -= read;
		}
		return read;
	}

	private void awaitResume() throws IOException {
		try {
			if (!this.resume.await(60, TimeUnit.SECONDS)) {
				throw new IOException("The test never let the body go on");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

}
