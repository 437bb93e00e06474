package org.statemigration.smp.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.AEADBadTagException;

/**
 * Decrypts a byte range segment by segment. A segment's bytes are handed out only after the whole segment has
 * been authenticated; after a failure the stream stays failed.
 */
final class SegmentDecryptingInputStream extends InputStream {

	private final SegmentedDecryptingReader reader;

	private final SegmentCipher cipher;

	private final byte[] sealed;

	private final ByteBuffer sealedBuffer;

	private final byte[] plaintext;

	private long nextSegment;

	private int position;

	private int limit;

	private long remaining;

	private boolean failed;

	private boolean tampered;

	private boolean closed;

	SegmentDecryptingInputStream(SegmentedDecryptingReader reader, SegmentCipher cipher, int bufferSize,
			long offset, long length) throws IOException {
		this.reader = reader;
		this.cipher = cipher;
		this.sealed = new byte[bufferSize + SegmentedStreamFormat.TAG_LENGTH];
		this.sealedBuffer = ByteBuffer.wrap(this.sealed);
		this.plaintext = new byte[bufferSize];
		int segmentSize = reader.header().segmentSize();
		// even an empty range authenticates a segment: otherwise a file cut down to an empty last segment, or
		// read with the wrong key, would pass as an empty blob
		long first = Math.min(offset / segmentSize, reader.lastSegment());
		this.nextSegment = first;
		this.remaining = length;
		load();
		this.position = (int) (offset - first * segmentSize);
	}

	@Override
	public int read() throws IOException {
		checkReadable();
		if (this.remaining == 0) {
			return -1;
		}
		if (this.position == this.limit) {
			load();
		}
		this.remaining--;
		return this.plaintext[this.position++] & 0xFF;
	}

	@Override
	public int read(byte[] bytes, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		checkReadable();
		if (length == 0) {
			return 0;
		}
		if (this.remaining == 0) {
			return -1;
		}
		if (this.position == this.limit) {
			load();
		}
		int n = (int) Math.min(Math.min(length, this.limit - this.position), this.remaining);
		System.arraycopy(this.plaintext, this.position, bytes, offset, n);
		this.position += n;
		this.remaining -= n;
		return n;
	}

	@Override
	public int available() {
		return (this.closed || this.failed) ? 0 : (int) Math.min(this.limit - this.position, this.remaining);
	}

	@Override
	public void close() {
		this.closed = true;
		Arrays.fill(this.plaintext, (byte) 0);
	}

	private void load() throws IOException {
		long index = this.nextSegment++;
		int sealedLength = this.reader.sealedLength(index);
		this.sealedBuffer.clear().limit(sealedLength);
		try {
			this.reader.readSegment(index, this.sealedBuffer);
			this.limit = this.cipher.open(this.sealed, sealedLength, this.plaintext, index, this.reader.isLast(index));
			this.position = 0;
		}
		catch (AEADBadTagException ex) {
			this.failed = true;
			this.tampered = true;
			throw new CiphertextAuthenticationException("Segment " + index + " failed authentication", ex);
		}
		catch (IOException | RuntimeException ex) {
			this.failed = true;
			throw ex;
		}
	}

	private void checkReadable() throws IOException {
		if (this.closed) {
			throw new IOException("Stream is closed");
		}
		if (this.tampered) {
			throw new CiphertextAuthenticationException("Stream failed authentication earlier");
		}
		if (this.failed) {
			throw new IOException("Stream failed earlier");
		}
	}

}
