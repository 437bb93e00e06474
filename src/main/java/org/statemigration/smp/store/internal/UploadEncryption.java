package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.SegmentedEncryptingOutputStream;
import org.statemigration.smp.store.IncompleteUploadException;
import org.statemigration.smp.store.QuotaExceededException;
import org.statemigration.smp.store.internal.ChunkHandoff.Chunk;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Streams a request body, encrypted, into a new blob: the plaintext is hashed and sealed segment by segment as it
 * arrives, so memory stays at a few buffers whatever the size. The request's thread reads and hashes; a second
 * thread, from the transfer executor, encrypts and writes, so both cores work on one upload. Making the blob
 * durable is the caller's, once it has checked what was written.
 */
@Component
public class UploadEncryption {

	private static final int CHUNK_SIZE = 256 * 1024;

	private static final int CHUNKS = 4;

	private final AsyncTaskExecutor executor;

	UploadEncryption(@Qualifier(TransferExecutorConfiguration.TRANSFER_EXECUTOR) AsyncTaskExecutor executor) {
		this.executor = executor;
	}

	/**
	 * Encrypts the whole body into the blob, its last segment included.
	 * @param declaredLength the body's Content-Length, or -1 for a chunked body
	 * @param maxSize most bytes accepted; more fails with {@link QuotaExceededException}
	 * @param blob the new blob, written from its start
	 * @param progress told the number of bytes received so far, on the request's thread, after each chunk
	 */
	public Written encrypt(InputStream body, long declaredLength, long maxSize, WritableByteChannel blob, DataKey key,
			int keyVersion, byte[] associatedData, LongConsumer progress) throws IOException {
		MessageDigest sha256 = sha256();
		ChunkHandoff handoff = new ChunkHandoff(CHUNKS, CHUNK_SIZE);
		long total = 0;
		SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream.start(blob, key, keyVersion,
				associatedData);
		Future<?> writer = this.executor.submitCompletable(() -> encryptAndWrite(handoff, out));
		try {
			int read;
			do {
				Chunk chunk = handoff.empty();
				read = fill(body, chunk);
				total += chunk.length;
				StorageRefusals.refuseOverQuota(total, maxSize);
				if (declaredLength >= 0 && total > declaredLength) {
					throw new IncompleteUploadException("The body is longer than its Content-Length");
				}
				progress.accept(total);
				sha256.update(chunk.bytes, 0, chunk.length);
				handoff.pass(chunk);
			}
			while (read != -1);
			handoff.end();
			await(writer);
		}
		catch (IOException | RuntimeException ex) {
			handoff.fail(ex);
			awaitQuietly(writer);
			throw ex;
		}
		if (declaredLength >= 0 && total != declaredLength) {
			throw new IncompleteUploadException(
					"The body ended after " + total + " of " + declaredLength + " bytes; nothing was stored");
		}
		out.finish();
		return new Written(total, sha256.digest());
	}

	/** Reads until the chunk is full or the body ends; returns -1 at the end of the body. */
	private static int fill(InputStream body, Chunk chunk) throws IOException {
		chunk.length = 0;
		while (chunk.length < chunk.bytes.length) {
			int read = body.read(chunk.bytes, chunk.length, chunk.bytes.length - chunk.length);
			if (read == -1) {
				return -1;
			}
			chunk.length += read;
		}
		return chunk.length;
	}

	private static Void encryptAndWrite(ChunkHandoff handoff, SegmentedEncryptingOutputStream out)
			throws IOException {
		try {
			Chunk chunk;
			while ((chunk = handoff.next()) != null) {
				out.write(chunk.bytes, 0, chunk.length);
				handoff.recycle(chunk);
			}
			return null;
		}
		catch (IOException | RuntimeException ex) {
			handoff.fail(ex);
			throw ex;
		}
	}

	private static void await(Future<?> writer) throws IOException {
		try {
			writer.get();
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof IOException io) ? io : new IOException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while writing");
		}
	}

	private static void awaitQuietly(Future<?> writer) {
		try {
			await(writer);
		}
		catch (IOException ex) {
			// the first failure is the one to report
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** What was written: the plaintext's size and SHA-256. */
	public record Written(long size, byte[] sha256) {
	}

}
