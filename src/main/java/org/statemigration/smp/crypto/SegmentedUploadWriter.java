package org.statemigration.smp.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encrypts a blob of known length into the segmented format of {@link SegmentedStreamFormat}, a piece at a time
 * across requests and restarts. Unlike {@link SegmentedEncryptingOutputStream}, which must hold back a full
 * segment until it knows whether more follows, this writer knows from the length which segment is the last, so
 * it seals every segment as soon as its bytes are in: the target holds exactly {@code offset / segmentSize}
 * sealed segments, and the rest ({@link #held}) is the caller's to keep safe (sealed on its own, see
 * {@link SealedTail}) until the next piece arrives.
 * <p>
 * Resuming seals each segment once with the bytes that the caller hands back; handing back other bytes for a
 * segment that was already sealed (then cut off) would reuse its nonce. Not thread-safe. {@link #close} zeroes
 * the buffers and leaves the target open.
 */
final class SegmentedUploadWriter implements AutoCloseable {

	private final WritableByteChannel target;

	private final SegmentCipher cipher;

	private final int segmentSize;

	private final long length;

	private final long lastSegment;

	private final byte[] plaintext;

	private final byte[] sealed;

	private long nextSegment;

	private int buffered;

	private SegmentedUploadWriter(WritableByteChannel target, DataKey key, SegmentedStreamHeader header,
			byte[] associatedData, long length, long offset) {
		this.target = Objects.requireNonNull(target, "target");
		this.cipher = new SegmentCipher(key.secretKey(), header, associatedData);
		this.segmentSize = header.segmentSize();
		this.length = length;
		this.lastSegment = SegmentedStreamFormat.segmentCount(length, this.segmentSize) - 1;
		this.plaintext = new byte[this.segmentSize];
		this.sealed = new byte[this.segmentSize + SegmentedStreamFormat.TAG_LENGTH];
		this.nextSegment = offset / this.segmentSize;
	}

	/**
	 * Goes on with a blob of which {@code offset} bytes were accepted: the target must hold the header and
	 * {@code offset / segmentSize} sealed segments and be positioned at their end, and {@code held} must be the
	 * {@code offset % segmentSize} bytes accepted after them.
	 * @param length the whole blob's length
	 */
	static SegmentedUploadWriter resume(WritableByteChannel target, DataKey key, SegmentedStreamHeader header,
			byte[] associatedData, long length, long offset, byte[] held) {
		if (offset < 0 || offset > length) {
			throw new IllegalArgumentException("Offset " + offset + " is not within 0.." + length);
		}
		SegmentedUploadWriter writer = new SegmentedUploadWriter(target, key, header, associatedData, length, offset);
		if (held.length != offset % writer.segmentSize) {
			throw new IllegalArgumentException("Held " + held.length + " bytes, offset " + offset + " needs "
					+ offset % writer.segmentSize);
		}
		System.arraycopy(held, 0, writer.plaintext, 0, held.length);
		writer.buffered = held.length;
		return writer;
	}

	/**
	 * Accepts more of the blob, sealing and writing each segment it completes (the last one as last). A call with
	 * no bytes seals the empty blob's only segment.
	 * @throws IllegalArgumentException if the bytes go beyond the blob's length (nothing of them is accepted)
	 */
	void write(byte[] bytes, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		if (length > this.length - offset()) {
			throw new IllegalArgumentException("The blob is " + this.length + " bytes long; " + (offset() + length)
					+ " would go beyond it");
		}
		while (length > 0) {
			int n = Math.min(length, this.segmentSize - this.buffered);
			System.arraycopy(bytes, offset, this.plaintext, this.buffered, n);
			this.buffered += n;
			offset += n;
			length -= n;
			sealIfComplete();
		}
		sealIfComplete();
	}

	/** Bytes of the blob accepted so far, sealed or held. */
	long offset() {
		return Math.min(this.nextSegment * this.segmentSize, this.length) + this.buffered;
	}

	/** Whether the whole blob is sealed, its last segment included. */
	boolean complete() {
		return this.nextSegment > this.lastSegment;
	}

	/** A copy of the bytes accepted after the last sealed segment: what a resumption must hand back. */
	byte[] held() {
		return Arrays.copyOf(this.plaintext, this.buffered);
	}

	private void sealIfComplete() throws IOException {
		if (complete()) {
			return;
		}
		boolean last = this.nextSegment == this.lastSegment;
		int wanted = last ? (int) (this.length - this.lastSegment * this.segmentSize) : this.segmentSize;
		if (this.buffered < wanted) {
			return;
		}
		int sealedLength = this.cipher.seal(this.plaintext, this.buffered, this.sealed, this.nextSegment, last);
		ByteBuffer buffer = ByteBuffer.wrap(this.sealed, 0, sealedLength);
		while (buffer.hasRemaining()) {
			this.target.write(buffer);
		}
		this.nextSegment++;
		this.buffered = 0;
	}

	/** Zeroes the plaintext buffer; the target stays open. */
	@Override
	public void close() {
		Arrays.fill(this.plaintext, (byte) 0);
		this.buffered = 0;
	}

}
