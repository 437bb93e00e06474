package org.statemigration.smp.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encrypts a stream into the segmented format of {@link SegmentedStreamFormat}, one segment at a time, with
 * memory for one segment whatever the size of the blob: each is sealed in place, its ciphertext and tag
 * overwriting its plaintext (AES-GCM encrypts in place as fast as into another array, and allocates nothing).
 * <p>
 * Whether a segment is the last one is known only when the stream is finished, so a full segment is held
 * until one more byte arrives: the target receives whole sealed segments only, and after an interruption
 * holds {@link #segmentsWritten()} complete segments from which {@link #resume resume} can go on.
 * <p>
 * {@link #finish()} seals the held segment as the last one; {@link #close()} finishes, then closes the target.
 * To fsync before closing, call {@code finish()}, force the channel, then {@code close()}. On an error path
 * call {@link #abandon()} instead: closing would seal whatever arrived so far as a complete, authentic, but
 * shorter blob. Not thread-safe.
 */
public final class SegmentedEncryptingOutputStream extends OutputStream {

	private final WritableByteChannel target;

	private final SegmentedStreamHeader header;

	private final SegmentCipher cipher;

	private final int segmentSize;

	/** The plaintext of the segment being filled, then its ciphertext and tag once sealed. */
	private final byte[] segment;

	private final ByteBuffer sealedBuffer;

	private int buffered;

	private long nextSegment;

	private boolean finished;

	private boolean failed;

	private boolean closed;

	private SegmentedEncryptingOutputStream(WritableByteChannel target, DataKey key, SegmentedStreamHeader header,
			long nextSegment, byte[] associatedData) {
		this.target = Objects.requireNonNull(target, "target");
		this.header = Objects.requireNonNull(header, "header");
		this.cipher = new SegmentCipher(key.secretKey(), header, associatedData);
		this.segmentSize = header.segmentSize();
		this.segment = new byte[this.segmentSize + SegmentedStreamFormat.TAG_LENGTH];
		this.sealedBuffer = ByteBuffer.wrap(this.segment);
		this.nextSegment = nextSegment;
	}

	/**
	 * Starts a new stream with 1 MiB segments and a fresh header, written to the target at once.
	 * @param keyVersion the version of the key-encryption key that wraps {@code key}, recorded in the header
	 * @param associatedData bound to every segment, e.g. {@link SegmentedStreamFormat#associatedData}
	 */
	public static SegmentedEncryptingOutputStream start(WritableByteChannel target, DataKey key, int keyVersion,
			byte[] associatedData) throws IOException {
		SegmentedStreamHeader header = SegmentedStreamHeader.create(SegmentedStreamFormat.DEFAULT_SEGMENT_SIZE,
				keyVersion);
		return start(target, key, header, associatedData);
	}

	/** Starts a new stream with the given header, written to the target at once. */
	static SegmentedEncryptingOutputStream start(WritableByteChannel target, DataKey key,
			SegmentedStreamHeader header, byte[] associatedData) throws IOException {
		SegmentedEncryptingOutputStream stream = new SegmentedEncryptingOutputStream(target, key, header, 0,
				associatedData);
		stream.writeFully(ByteBuffer.wrap(header.toBytes()));
		return stream;
	}

	/**
	 * Goes on with a stream whose header and first {@code nextSegment} segments are already in place, writing
	 * no header. The target must be positioned at {@link SegmentedStreamFormat#segmentOffset
	 * segmentOffset(nextSegment)} (truncate a partly written segment first), and the plaintext must go on
	 * exactly where those segments end. Those segments must have been written by a stream that was never
	 * finished: resuming after a finished stream, or with other plaintext than a partly written segment held,
	 * reuses a nonce for different data, which breaks GCM.
	 * @param header the header read from the start of the existing file
	 */
	static SegmentedEncryptingOutputStream resume(WritableByteChannel target, DataKey key,
			SegmentedStreamHeader header, long nextSegment, byte[] associatedData) {
		if (nextSegment < 0 || nextSegment >= SegmentedStreamFormat.MAX_SEGMENTS) {
			throw new IllegalArgumentException("Cannot resume at segment " + nextSegment);
		}
		return new SegmentedEncryptingOutputStream(target, key, header, nextSegment, associatedData);
	}

	@Override
	public void write(int b) throws IOException {
		checkWritable();
		if (this.buffered == this.segmentSize) {
			sealAndWrite(false);
		}
		this.segment[this.buffered++] = (byte) b;
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		checkWritable();
		while (length > 0) {
			if (this.buffered == this.segmentSize) {
				sealAndWrite(false);
			}
			int n = Math.min(length, this.segmentSize - this.buffered);
			System.arraycopy(bytes, offset, this.segment, this.buffered, n);
			this.buffered += n;
			offset += n;
			length -= n;
		}
	}

	/** Does nothing: a partial segment cannot be sealed before it is known whether it is the last. */
	@Override
	public void flush() {
	}

	/**
	 * Seals the held segment as the last one and writes it; the stream accepts no more bytes. Does not close
	 * the target. Does nothing if already finished.
	 * @throws IOException if the target fails, or a resumed stream received no byte (its previous segment was
	 * sealed as not the last, so it cannot end there)
	 */
	public void finish() throws IOException {
		if (this.finished) {
			return;
		}
		checkWritable();
		if (this.buffered == 0 && this.nextSegment > 0) {
			throw new IOException("A resumed stream cannot end without at least one more byte");
		}
		sealAndWrite(true);
		this.finished = true;
	}

	/** Finishes the stream, then closes the target. */
	@Override
	public void close() throws IOException {
		if (this.closed) {
			return;
		}
		try {
			if (!this.failed) {
				finish();
			}
		}
		finally {
			abandon();
		}
	}

	/**
	 * Closes the target without sealing the held bytes, leaving {@link #segmentsWritten()} whole segments, none
	 * marked last: the file does not decrypt as a complete blob, but can be resumed.
	 */
	public void abandon() throws IOException {
		if (this.closed) {
			return;
		}
		this.closed = true;
		Arrays.fill(this.segment, (byte) 0);
		this.target.close();
	}

	/** Plaintext bytes accepted so far, counting those before the resumption point of a resumed stream. */
	public long plaintextBytesWritten() {
		return this.nextSegment * this.segmentSize + this.buffered;
	}

	/** Sealed segments written to the target so far, counting those before the resumption point. */
	public long segmentsWritten() {
		return this.nextSegment;
	}

	SegmentedStreamHeader header() {
		return this.header;
	}

	private void sealAndWrite(boolean last) throws IOException {
		if (this.nextSegment >= SegmentedStreamFormat.MAX_SEGMENTS) {
			throw new IOException("Stream exceeds 2^32 segments of " + this.segmentSize + " bytes");
		}
		int length;
		try {
			length = this.cipher.seal(this.segment, this.buffered, this.segment, this.nextSegment, last);
		}
		catch (RuntimeException ex) {
			// the segment may be part plaintext, part ciphertext now: nothing can go on from it
			this.failed = true;
			throw ex;
		}
		this.sealedBuffer.clear().limit(length);
		writeFully(this.sealedBuffer);
		this.nextSegment++;
		this.buffered = 0;
	}

	private void writeFully(ByteBuffer buffer) throws IOException {
		try {
			while (buffer.hasRemaining()) {
				this.target.write(buffer);
			}
		}
		catch (IOException | RuntimeException ex) {
			// the target may now hold part of a segment: refuse to go on rather than write after a gap
			this.failed = true;
			throw ex;
		}
	}

	private void checkWritable() throws IOException {
		if (this.closed || this.finished || this.failed) {
			throw new IOException("Stream is " + (this.closed ? "closed" : this.failed ? "failed" : "finished"));
		}
	}

}
