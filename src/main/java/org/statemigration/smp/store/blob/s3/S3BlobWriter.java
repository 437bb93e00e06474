package org.statemigration.smp.store.blob.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.statemigration.smp.store.blob.BlobStoreUnavailableException;
import org.statemigration.smp.store.blob.BlobWriter;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import org.springframework.core.task.TaskRejectedException;

/**
 * A blob of an S3 location being written: a multipart upload, written from its start to its end. The bytes are
 * gathered into a part buffer of the shared {@link PartBuffers}; a full part is sent on the transfer executor while
 * the next one fills, so an upload holds at most two buffers, and at most one part is in flight. Every part but
 * the last has the same size, whole sealed segments (part 1 also holds the header). {@link #commit} sends the last
 * part, completes the upload and checks the size of the object S3 made of it.
 * <p>
 * It cannot be read back, moved in or cut: a multipart upload gives no access to its parts.
 */
final class S3BlobWriter implements BlobWriter {

	private final S3BlobStore store;

	private final String key;

	private final String uploadId;

	private final int firstPartSize;

	private final int partSize;

	private final List<CompletedPart> parts = new ArrayList<>();

	private byte[] filling;

	private int filled;

	private int partNumber = 1;

	private long written;

	private Future<CompletedPart> sending;

	private byte[] sendingBuffer;

	private boolean open = true;

	S3BlobWriter(S3BlobStore store, String key, String uploadId, int firstPartSize, int partSize) {
		this.store = store;
		this.key = key;
		this.uploadId = uploadId;
		this.firstPartSize = firstPartSize;
		this.partSize = partSize;
	}

	@Override
	public int write(ByteBuffer source) throws IOException {
		ensureOpen();
		int length = source.remaining();
		while (source.hasRemaining()) {
			if (this.filling == null) {
				this.filling = this.store.buffers().take((this.partNumber == 1) ? this.firstPartSize : this.partSize);
				this.filled = 0;
			}
			int n = Math.min(source.remaining(), this.filling.length - this.filled);
			source.get(this.filling, this.filled, n);
			this.filled += n;
			if (this.filled == this.filling.length) {
				send();
			}
		}
		this.written += length;
		return length;
	}

	/** Sends the full buffer as the next part, once the part before it is acknowledged. */
	private void send() throws IOException {
		awaitSending();
		byte[] buffer = this.filling;
		int length = this.filled;
		int number = this.partNumber++;
		this.filling = null;
		this.filled = 0;
		this.sendingBuffer = buffer;
		try {
			this.sending = this.store.senders().submit(() -> uploadPart(number, buffer, length));
		}
		catch (TaskRejectedException ex) {
			// every transfer thread is busy: send it on this one
			this.sending = null;
			this.sendingBuffer = null;
			try {
				this.parts.add(uploadPart(number, buffer, length));
			}
			finally {
				this.store.buffers().give(buffer);
			}
		}
	}

	private CompletedPart uploadPart(int number, byte[] buffer, int length) throws IOException {
		UploadPartRequest.Builder request = UploadPartRequest.builder()
			.bucket(this.store.location().bucket())
			.key(this.key)
			.uploadId(this.uploadId)
			.partNumber(number)
			.contentLength((long) length);
		String sha256 = null;
		switch (this.store.location().partChecksum()) {
			case MD5 -> request.contentMD5(Checksums.md5(buffer, length));
			case SHA256 -> {
				sha256 = Checksums.sha256(buffer, length);
				request.checksumSHA256(sha256);
			}
			case NONE -> {
			}
		}
		UploadPartResponse response = this.store.call("send part " + number + " of " + this.key,
				() -> this.store.client()
					.uploadPart(request.build(), RequestBody.fromContentProvider(
							() -> new ByteArrayInputStream(buffer, 0, length), length, "application/octet-stream")));
		return CompletedPart.builder().partNumber(number).eTag(response.eTag()).checksumSHA256(sha256).build();
	}

	/** Waits for the part in flight, if any, and gives its buffer back. */
	private void awaitSending() throws IOException {
		if (this.sending == null) {
			return;
		}
		try {
			this.parts.add(this.sending.get());
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof IOException io) ? io
					: new BlobStoreUnavailableException("Sending a part of " + this.key + " failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while sending a part of " + this.key);
		}
		finally {
			this.sending = null;
			this.store.buffers().give(this.sendingBuffer);
			this.sendingBuffer = null;
		}
	}

	/**
	 * Waits until every full part sent so far is acknowledged by S3, which makes those parts durable. The bytes of
	 * the part still being filled stay in memory only, and an S3 blob cannot be continued by another request
	 * anyway: a capture by PUT needs only {@link #commit}, which makes everything durable at once.
	 */
	@Override
	public void force() throws IOException {
		ensureOpen();
		awaitSending();
	}

	/**
	 * Sends the last part, completes the multipart upload (the object appears whole under its key, durable), and
	 * checks with HeadObject that the object has every byte written.
	 */
	@Override
	public void commit() throws IOException {
		ensureOpen();
		if (this.filled > 0 || (this.parts.isEmpty() && this.sending == null)) {
			send();
		}
		awaitSending();
		giveBack();
		this.store.call("complete the upload of " + this.key,
				() -> this.store.client()
					.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
						.bucket(this.store.location().bucket())
						.key(this.key)
						.uploadId(this.uploadId)
						.multipartUpload(CompletedMultipartUpload.builder().parts(this.parts).build())
						.build()));
		long size = this.store.call("read the size of " + this.key, () -> this.store.client()
			.headObject((head) -> head.bucket(this.store.location().bucket()).key(this.key))
			.contentLength());
		if (size != this.written) {
			throw new IOException(this.store.where(this.key) + " has " + size + " bytes after its upload completed, "
					+ this.written + " were written");
		}
		this.open = false;
	}

	/**
	 * Aborts the multipart upload, after the part in flight ended. Not durable: an upload that cannot be aborted
	 * now (S3 unreachable) stays unfinished, invisible to readers, for the reconciliation or the bucket's
	 * lifecycle rule to remove.
	 */
	@Override
	public void abort() throws IOException {
		this.open = false;
		try {
			awaitSending();
		}
		catch (IOException ex) {
			// the part's failure is what ended the upload; it was reported already
		}
		giveBack();
		this.store.abort(this.key, this.uploadId);
	}

	private void giveBack() {
		if (this.filling != null) {
			this.store.buffers().give(this.filling);
			this.filling = null;
			this.filled = 0;
		}
	}

	@Override
	public int read(ByteBuffer destination) {
		throw new NonReadableChannelException();
	}

	@Override
	public long position() {
		return this.written;
	}

	@Override
	public SeekableByteChannel position(long position) throws IOException {
		if (position != this.written) {
			throw new IOException("An S3 blob is written from its start to its end only");
		}
		return this;
	}

	@Override
	public long size() {
		return this.written;
	}

	@Override
	public SeekableByteChannel truncate(long size) throws IOException {
		if (size < this.written) {
			throw new IOException("An S3 blob cannot be cut while it is written");
		}
		return this;
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	/**
	 * Ends the writer without committing or aborting: the part in flight ends, the buffers are given back, and the
	 * multipart upload stays unfinished (what was in the buffer is lost).
	 */
	@Override
	public void close() {
		if (!this.open) {
			return;
		}
		this.open = false;
		try {
			awaitSending();
		}
		catch (IOException ex) {
			// nothing more is sent anyway
		}
		giveBack();
	}

	private void ensureOpen() throws ClosedChannelException {
		if (!this.open) {
			throw new ClosedChannelException();
		}
	}

}
