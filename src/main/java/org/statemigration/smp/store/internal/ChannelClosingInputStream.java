package org.statemigration.smp.store.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channel;

/** Closes the file channel under a decrypting stream together with it. */
final class ChannelClosingInputStream extends FilterInputStream {

	private final Channel channel;

	ChannelClosingInputStream(InputStream in, Channel channel) {
		super(in);
		this.channel = channel;
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		return this.in.read(b, off, len);
	}

	@Override
	public void close() throws IOException {
		try {
			super.close();
		}
		finally {
			this.channel.close();
		}
	}

}
