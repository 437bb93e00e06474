package org.statemigration.smp.config;

import java.io.IOException;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/**
 * A request body that may not grow past a limit: the read that would pass it fails with
 * {@link RequestTooLargeException}, and nothing beyond the limit is read from the socket.
 */
final class LimitedServletInputStream extends ServletInputStream {

	private final ServletInputStream body;

	private final long limit;

	private long count;

	LimitedServletInputStream(ServletInputStream body, long limit) {
		this.body = body;
		this.limit = limit;
	}

	@Override
	public int read() throws IOException {
		checkRoom();
		int b = this.body.read();
		if (b != -1) {
			counted(1);
		}
		return b;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		checkRoom();
		// one byte more than the room left: a body of exactly the limit still ends cleanly
		int wanted = (int) Math.min(length, this.limit - this.count + 1);
		int read = this.body.read(buffer, offset, wanted);
		if (read > 0) {
			counted(read);
		}
		return read;
	}

	private void checkRoom() throws RequestTooLargeException {
		if (this.count > this.limit) {
			throw new RequestTooLargeException(this.limit);
		}
	}

	private void counted(int read) throws RequestTooLargeException {
		this.count += read;
		checkRoom();
	}

	@Override
	public boolean isFinished() {
		return this.body.isFinished();
	}

	@Override
	public boolean isReady() {
		return this.body.isReady();
	}

	@Override
	public void setReadListener(ReadListener listener) {
		this.body.setReadListener(listener);
	}

	@Override
	public int available() throws IOException {
		return this.body.available();
	}

	@Override
	public void close() throws IOException {
		this.body.close();
	}

}
