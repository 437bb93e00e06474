package org.statemigration.smp.store.blob.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.BlobWriter;
import org.statemigration.smp.store.blob.s3.PartLedger.Part;

/**
 * The unfinished blob of a resumable upload on an S3 location, as one request goes on with it: a multipart upload
 * whose parts are recorded in the {@link PartLedger}, and after its last part sent the bytes of the next one so
 * far, held in one part buffer of the shared {@link PartBuffers}.
 * <p>
 * A part is sent as soon as it is full, under the number its segments give it (part n holds segments
 * [(n-1)k, nk), part 1 also the header): recorded {@code INTENDED} with its MD5, sent with that MD5 as its
 * Content-MD5, recorded {@code DONE} once S3 answered. {@link #force} makes the bytes after the last part durable
 * by writing them whole as the small object {@code pending-<n>} (n being the next part's number), which replaces
 * the one before; a pending object of a part now sent is deleted.
 * <p>
 * The parts sent cannot be read back: the blob is readable from the end of the last one ({@link #readableFrom()}),
 * and its header always (kept in the ledger). Writes and cuts go only there too. A blob whose multipart upload was
 * completed (its request died before the database recorded it) is opened as the completed object: readable from
 * its start, not writable, and committing it again changes nothing.
 */
final class S3ResumableWriter implements BlobWriter {

	private static final Log logger = LogFactory.getLog(S3ResumableWriter.class);

	static final String PENDING = "pending-";

	private final S3BlobStore store;

	private final BlobKey key;

	private final String objectKey;

	private final String uploadId;

	private final PartLedger ledger;

	private final List<Part> done;

	/** The end of the last part sent: where the readable, writable region starts. */
	private long doneEnd;

	/** The blob's first bytes, as the ledger records them; null before they are recorded. */
	private byte[] head;

	/** The bytes after the last part sent, in a part buffer; null until needed. */
	private byte[] buffer;

	private int pending;

	/** The size of the pending object of the next part as stored, or -1 if there is none. */
	private int pendingStored;

	/** Whether the pending bytes differ from the pending object stored. */
	private boolean dirty;

	/** Numbers of pending objects that the parts sent made stale, to delete at the next force. */
	private final List<Integer> stale = new ArrayList<>();

	private long position;

	/** The completed object, when the upload was completed already; null otherwise. */
	private final SeekableByteChannel completed;

	private boolean open = true;

	private S3ResumableWriter(S3BlobStore store, BlobKey key, String uploadId, PartLedger ledger, List<Part> done,
			byte[] head, SeekableByteChannel completed) {
		this.store = store;
		this.key = key;
		this.objectKey = store.layout().blob(key);
		this.uploadId = uploadId;
		this.ledger = ledger;
		this.done = new ArrayList<>(done);
		this.doneEnd = done.stream().mapToLong(Part::size).sum();
		this.head = head;
		this.completed = completed;
		this.pendingStored = -1;
	}

	/** A new blob: nothing sent, nothing pending. */
	static S3ResumableWriter created(S3BlobStore store, BlobKey key, String uploadId, PartLedger ledger) {
		return new S3ResumableWriter(store, key, uploadId, ledger, List.of(), null, null);
	}

	/**
	 * A blob gone on with: the parts done, the head, and the pending object of the next part (if any) read into
	 * the part buffer.
	 */
	static S3ResumableWriter resumed(S3BlobStore store, BlobKey key, String uploadId, PartLedger ledger,
			List<Part> done, byte[] head) throws IOException {
		S3ResumableWriter writer = new S3ResumableWriter(store, key, uploadId, ledger, done, head, null);
		try {
			writer.takeBuffer();
			int pending = store.readSmall(key, PENDING + writer.nextPart(), writer.buffer);
			if (pending > writer.capacity()) {
				throw new IOException(store.where(store.layout().small(key, PENDING + writer.nextPart()))
						+ " is larger than a part");
			}
			if (pending >= 0) {
				writer.pending = pending;
				writer.pendingStored = pending;
			}
		}
		catch (IOException | RuntimeException ex) {
			writer.close();
			throw ex;
		}
		writer.position = writer.size();
		return writer;
	}

	/** A blob whose multipart upload was completed already: the object, read back. */
	static S3ResumableWriter completed(S3BlobStore store, BlobKey key, SeekableByteChannel object) {
		return new S3ResumableWriter(store, key, null, null, List.of(), null, object);
	}

	private int nextPart() {
		return this.done.size() + 1;
	}

	/** The bytes of the next part when full. */
	private int capacity() {
		return this.store.partSize(nextPart() == 1);
	}

	private void takeBuffer() throws IOException {
		if (this.buffer == null) {
			this.buffer = this.store.buffers().take(this.store.partSize(true));
		}
	}

	@Override
	public int write(ByteBuffer source) throws IOException {
		ensureOpen();
		if (this.completed != null) {
			throw new IOException(this.store.where(this.objectKey) + " is complete already");
		}
		if (this.position < this.doneEnd || this.position > size()) {
			throw new IOException("An unfinished S3 blob is written from the end of its last part sent ("
					+ this.doneEnd + ") to its end (" + size() + "), not at " + this.position);
		}
		int length = source.remaining();
		while (source.hasRemaining()) {
			takeBuffer();
			int at = (int) (this.position - this.doneEnd);
			int n = Math.min(source.remaining(), capacity() - at);
			source.get(this.buffer, at, n);
			this.position += n;
			this.pending = Math.max(this.pending, at + n);
			this.dirty = true;
			if (this.pending == capacity()) {
				send();
			}
		}
		return length;
	}

	/**
	 * Sends the pending bytes as the next part: recorded intended with their MD5, sent with it, recorded done.
	 * The pending object of that part is stale from then on.
	 */
	private void send() throws IOException {
		int number = nextPart();
		if (number == 1) {
			recordHead();
		}
		byte[] md5 = Checksums.md5Bytes(this.buffer, this.pending);
		String hex = HexFormat.of().formatHex(md5);
		Part part = new Part(number, this.pending, hex, Part.Status.INTENDED);
		this.ledger.intend(this.key, part);
		this.store.uploadPart(this.objectKey, this.uploadId, number, this.buffer, this.pending, md5);
		if (!this.ledger.done(this.key, number, hex)) {
			throw new IOException("Part " + number + " of " + this.store.where(this.objectKey)
					+ " was settled by another request meanwhile");
		}
		this.done.add(new Part(number, this.pending, hex, Part.Status.DONE));
		this.doneEnd += this.pending;
		if (this.pendingStored >= 0) {
			this.stale.add(number);
		}
		this.pending = 0;
		this.pendingStored = -1;
		this.dirty = false;
		Arrays.fill(this.buffer, (byte) 0);
	}

	/** Records the blob's first bytes (the header), which part 1 takes out of reach once sent. */
	private void recordHead() throws IOException {
		if (this.head != null) {
			return;
		}
		if (this.doneEnd > 0 || this.pending < SegmentedStreamFormat.HEADER_LENGTH) {
			throw new IOException("The header of " + this.store.where(this.objectKey) + " was never written");
		}
		byte[] first = Arrays.copyOf(this.buffer, SegmentedStreamFormat.HEADER_LENGTH);
		this.ledger.head(this.key, first);
		this.head = first;
	}

	/**
	 * Makes every byte written so far durable: the parts sent are (S3 answered each), and the bytes after them are
	 * written whole as the pending object of the next part, replacing the one before. The stale pending objects of
	 * parts sent go after.
	 */
	@Override
	public void force() throws IOException {
		ensureOpen();
		if (this.completed != null) {
			return;
		}
		if (this.doneEnd == 0 && this.pending >= SegmentedStreamFormat.HEADER_LENGTH) {
			recordHead();
		}
		if (this.dirty || (this.pendingStored >= 0 && this.pendingStored != this.pending)) {
			if (this.pending > 0) {
				this.store.putObject(this.key, PENDING + nextPart(), this.buffer, this.pending);
				this.pendingStored = this.pending;
			}
			else if (this.pendingStored >= 0) {
				this.store.deleteSmall(this.key, PENDING + nextPart());
				this.pendingStored = -1;
			}
			this.dirty = false;
		}
		for (int number : this.stale) {
			try {
				this.store.deleteSmall(this.key, PENDING + number);
			}
			catch (IOException ex) {
				logger.debug("Could not delete the stale pending object " + number + " of " + this.objectKey
						+ "; it goes with the upload", ex);
			}
		}
		this.stale.clear();
	}

	/**
	 * Sends the last part, completes the multipart upload with the parts as S3 lists them (their ETags and
	 * checksums), checks the size of the object it made, and deletes the pending objects. A blob completed
	 * already is left as it is.
	 */
	@Override
	public void commit() throws IOException {
		ensureOpen();
		if (this.completed == null) {
			if (this.pending > 0 || this.done.isEmpty()) {
				send();
			}
			this.store.completeResumable(this.objectKey, this.uploadId, this.done, this.doneEnd);
		}
		close();
		this.store.deletePending(this.key);
	}

	/** Aborts the multipart upload and deletes the pending objects. */
	@Override
	public void abort() throws IOException {
		close();
		if (this.uploadId != null) {
			this.store.abort(this.objectKey, this.uploadId);
		}
		this.store.deletePending(this.key);
	}

	@Override
	public long readableFrom() {
		return (this.completed != null) ? 0 : this.doneEnd;
	}

	@Override
	public int read(ByteBuffer destination) throws IOException {
		ensureOpen();
		if (this.completed != null) {
			this.completed.position(this.position);
			int read = this.completed.read(destination);
			if (read > 0) {
				this.position += read;
			}
			return read;
		}
		if (this.position >= size()) {
			return -1;
		}
		int n;
		if (this.position >= this.doneEnd) {
			int at = (int) (this.position - this.doneEnd);
			n = Math.min(destination.remaining(), this.pending - at);
			destination.put(this.buffer, at, n);
		}
		else if (this.head != null && this.position < this.head.length) {
			n = Math.min(destination.remaining(), this.head.length - (int) this.position);
			destination.put(this.head, (int) this.position, n);
		}
		else {
			throw new IOException("The parts sent of " + this.store.where(this.objectKey)
					+ " cannot be read back before it is completed (position " + this.position + ")");
		}
		this.position += n;
		return n;
	}

	@Override
	public long position() throws IOException {
		ensureOpen();
		return this.position;
	}

	@Override
	public SeekableByteChannel position(long position) throws IOException {
		ensureOpen();
		if (position < 0) {
			throw new IllegalArgumentException("Negative position");
		}
		this.position = position;
		return this;
	}

	@Override
	public long size() throws IOException {
		return (this.completed != null) ? this.completed.size() : this.doneEnd + this.pending;
	}

	/** Cuts the bytes after the last part sent; the parts sent cannot be cut. */
	@Override
	public SeekableByteChannel truncate(long size) throws IOException {
		ensureOpen();
		if (size >= size()) {
			return this;
		}
		if (this.completed != null || size < this.doneEnd) {
			throw new IOException("The parts sent of " + this.store.where(this.objectKey) + " cannot be cut (to "
					+ size + ")");
		}
		int kept = (int) (size - this.doneEnd);
		Arrays.fill(this.buffer, kept, this.pending, (byte) 0);
		this.pending = kept;
		this.dirty = true;
		this.position = Math.min(this.position, size);
		return this;
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	/** Gives the part buffer back; what was not forced is lost, the parts sent and the pending object stay. */
	@Override
	public void close() throws IOException {
		if (!this.open) {
			return;
		}
		this.open = false;
		if (this.buffer != null) {
			Arrays.fill(this.buffer, (byte) 0);
			this.store.buffers().give(this.buffer);
			this.buffer = null;
		}
		if (this.completed != null) {
			this.completed.close();
		}
	}

	private void ensureOpen() throws ClosedChannelException {
		if (!this.open) {
			throw new ClosedChannelException();
		}
	}

}
