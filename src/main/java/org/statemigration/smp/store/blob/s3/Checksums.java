package org.statemigration.smp.store.blob.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The checksums a part or small object is sent with, base64 as S3 wants them. */
final class Checksums {

	private Checksums() {
	}

	static String md5(byte[] bytes, int length) {
		return digest("MD5", bytes, length);
	}

	/** The MD5 of the bytes, raw: a resumable upload's part ledger records it, and sends it as Content-MD5. */
	static byte[] md5Bytes(byte[] bytes, int length) {
		try {
			MessageDigest digest = MessageDigest.getInstance("MD5");
			digest.update(bytes, 0, length);
			return digest.digest();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String sha256(byte[] bytes, int length) {
		return digest("SHA-256", bytes, length);
	}

	private static String digest(String algorithm, byte[] bytes, int length) {
		try {
			MessageDigest digest = MessageDigest.getInstance(algorithm);
			digest.update(bytes, 0, length);
			return Base64.getEncoder().encodeToString(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
