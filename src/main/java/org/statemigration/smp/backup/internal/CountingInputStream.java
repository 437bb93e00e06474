package org.statemigration.smp.backup.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** A stream that tells how many bytes were read from it, for a progress bar. */
final class CountingInputStream extends FilterInputStream {

	private final LongConsumer counted;

	CountingInputStream(InputStream in, LongConsumer counted) {
		super(in);
		this.counted = counted;
	}

	@Override
	public int read() throws IOException {
		int b = super.read();
		if (b >= 0) {
			this.counted.accept(1);
		}
		return b;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		int n = super.read(buffer, offset, length);
		if (n > 0) {
			this.counted.accept(n);
		}
		return n;
	}

}
