package org.statemigration.smp.store.internal.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.SegmentedDecryptingReader;
import org.statemigration.smp.crypto.SegmentedEncryptingOutputStream;

/**
 * A chunk that carries a checksum, held on disk until the checksum is verified: a chunk that fails it must leave
 * nothing behind, and sealing its segments into the upload before knowing would seal them again (same nonces,
 * other bytes) when the client sends them anew. The spool is encrypted under a key that exists only in this
 * request's memory, so it is never plaintext on disk and is unreadable once the request is over. It lives in the
 * upload's scratch, which is gone once closed.
 */
final class ChecksumSpool implements AutoCloseable {

	private static final int BUFFER = 256 * 1024;

	private static final byte[] ASSOCIATED_DATA = "smp-checksum-spool".getBytes();

	private final SeekableByteChannel scratch;

	private final InputStream content;

	private ChecksumSpool(SeekableByteChannel scratch, InputStream content) {
		this.scratch = scratch;
		this.content = content;
	}

	/**
	 * Reads the whole chunk into the spool and checks its digest. The spool owns the scratch from here on: it is
	 * closed, and so gone, when the chunk fails or the spool is closed.
	 * @param algorithm a JDK digest name ({@code SHA-1}, {@code SHA-256})
	 * @param max most bytes the chunk may have
	 * @param progress told after each piece read, so that a long chunk keeps its upload alive
	 * @return the spool, or null if the chunk fails its checksum (nothing is kept)
	 * @throws ChunkTooLongException if the chunk has more than {@code max} bytes
	 */
	static ChecksumSpool receive(SeekableByteChannel scratch, InputStream body, long max, String algorithm,
			byte[] expected, Runnable progress) throws IOException {
		MessageDigest digest = digest(algorithm);
		try (DataKey key = DataKey.generate()) {
			SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream.start(scratch, key, 0,
					ASSOCIATED_DATA);
			byte[] buffer = new byte[BUFFER];
			long total = 0;
			int read;
			while ((read = body.read(buffer)) != -1) {
				total += read;
				if (total > max) {
					throw new ChunkTooLongException(max);
				}
				digest.update(buffer, 0, read);
				out.write(buffer, 0, read);
				progress.run();
			}
			out.finish();
			if (!MessageDigest.isEqual(digest.digest(), expected)) {
				scratch.close();
				return null;
			}
			InputStream content = SegmentedDecryptingReader.of(scratch, key, ASSOCIATED_DATA).open();
			return new ChecksumSpool(scratch, content);
		}
		catch (IOException | RuntimeException ex) {
			scratch.close();
			throw ex;
		}
	}

	/** The verified chunk, decrypted as it is read. */
	InputStream content() {
		return this.content;
	}

	@Override
	public void close() throws IOException {
		this.scratch.close();
	}

	private static MessageDigest digest(String algorithm) {
		try {
			return MessageDigest.getInstance(algorithm, "SUN");
		}
		catch (NoSuchAlgorithmException | java.security.NoSuchProviderException ex) {
			throw new IllegalStateException(algorithm + " of the SUN provider is not available", ex);
		}
	}

	/** The chunk goes beyond the upload's length. */
	static final class ChunkTooLongException extends IOException {

		ChunkTooLongException(long max) {
			super("The chunk is longer than the " + max + " bytes the upload still expects");
		}

	}

}
