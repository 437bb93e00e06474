package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.SegmentedEncryptingOutputStream;
import org.statemigration.smp.store.IncompleteUploadException;
import org.statemigration.smp.store.QuotaExceededException;

/**
 * Streams a body into a new encrypted file: the plaintext is hashed and sealed segment by segment as it arrives,
 * so memory stays at a few buffers whatever the size, and the file is fsynced before this returns.
 */
public final class EncryptingFileWriter {

	private static final int READ_BUFFER = 256 * 1024;

	private EncryptingFileWriter() {
	}

	/**
	 * @param declaredLength the body's Content-Length, or -1 for a chunked body
	 * @param maxSize most bytes accepted; more fails with {@link QuotaExceededException}
	 */
	public static Written write(InputStream body, long declaredLength, long maxSize, Path file, DataKey key,
			int keyVersion, byte[] associatedData) throws IOException {
		MessageDigest sha256 = sha256();
		byte[] buffer = new byte[READ_BUFFER];
		long total = 0;
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
				WriteBehind writeBehind = new WriteBehind(channel)) {
			SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream.start(channel, key, keyVersion,
					associatedData);
			int read;
			while ((read = body.read(buffer)) != -1) {
				total += read;
				if (total > maxSize) {
					throw new QuotaExceededException("The state store is larger than the quota of " + maxSize + " bytes");
				}
				if (declaredLength >= 0 && total > declaredLength) {
					throw new IncompleteUploadException("The body is longer than its Content-Length");
				}
				sha256.update(buffer, 0, read);
				out.write(buffer, 0, read);
				writeBehind.written(read);
			}
			if (declaredLength >= 0 && total != declaredLength) {
				throw new IncompleteUploadException(
						"The body ended after " + total + " of " + declaredLength + " bytes; nothing was stored");
			}
			out.finish();
			writeBehind.forceAll();
		}
		return new Written(total, sha256.digest());
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
