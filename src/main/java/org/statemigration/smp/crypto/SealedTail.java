package org.statemigration.smp.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The bytes of a resumable upload that do not yet fill a segment, sealed on their own so that they can wait on
 * disk for the next request without ever being there in plaintext: one AES-256-GCM message under the upload's
 * data key, with a fresh random 96-bit nonce (a segment's nonce would be reused when the segment is sealed
 * whole), and associated data that binds it to the upload and to the offset it ends at, so that a tail of
 * another upload or of another moment fails authentication. Layout: nonce (12) || ciphertext || tag (16).
 */
final class SealedTail {

	private static final int NONCE_LENGTH = 12;

	/** The most bytes a sealed tail takes: the bytes of less than a segment, with its nonce and tag. */
	static final int MAX_LENGTH = NONCE_LENGTH + SegmentedStreamFormat.MAX_SEGMENT_SIZE
			+ SegmentedStreamFormat.TAG_LENGTH;

	private static final byte[] DOMAIN = "smp-upload-tail-v1".getBytes(StandardCharsets.US_ASCII);

	private static final SecureRandom RANDOM = new SecureRandom();

	private SealedTail() {
	}

	/** Seals the bytes for the upload at this offset. */
	static byte[] seal(DataKey key, byte[] plaintext, UUID uploadId, long offset) {
		byte[] nonce = new byte[NONCE_LENGTH];
		RANDOM.nextBytes(nonce);
		try {
			Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce, uploadId, offset);
			byte[] sealed = new byte[NONCE_LENGTH + cipher.getOutputSize(plaintext.length)];
			System.arraycopy(nonce, 0, sealed, 0, NONCE_LENGTH);
			cipher.doFinal(plaintext, 0, plaintext.length, sealed, NONCE_LENGTH);
			return sealed;
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot seal the tail of upload " + uploadId, ex);
		}
	}

	/**
	 * Opens a tail sealed by {@link #seal} for the same upload and offset.
	 * @throws CiphertextAuthenticationException if it was changed, or belongs to another upload or offset
	 */
	static byte[] open(DataKey key, byte[] sealed, UUID uploadId, long offset)
			throws CiphertextAuthenticationException {
		if (sealed.length < NONCE_LENGTH + SegmentedStreamFormat.TAG_LENGTH) {
			throw new CiphertextAuthenticationException("The tail of upload " + uploadId + " is too short");
		}
		try {
			Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(sealed, NONCE_LENGTH), uploadId, offset);
			return cipher.doFinal(sealed, NONCE_LENGTH, sealed.length - NONCE_LENGTH);
		}
		catch (AEADBadTagException ex) {
			throw new CiphertextAuthenticationException("The tail of upload " + uploadId + " at " + offset
					+ " failed authentication", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot open the tail of upload " + uploadId, ex);
		}
	}

	private static Cipher cipher(int mode, DataKey key, byte[] nonce, UUID uploadId, long offset)
			throws GeneralSecurityException {
		// SunJCE by name, as for segments: never the slow Bouncy Castle provider
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
		cipher.init(mode, key.secretKey(), new GCMParameterSpec(SegmentedStreamFormat.TAG_LENGTH * 8, nonce));
		cipher.updateAAD(ByteBuffer.allocate(DOMAIN.length + 24)
			.put(DOMAIN)
			.putLong(uploadId.getMostSignificantBits())
			.putLong(uploadId.getLeastSignificantBits())
			.putLong(offset)
			.array());
		return cipher;
	}

}
