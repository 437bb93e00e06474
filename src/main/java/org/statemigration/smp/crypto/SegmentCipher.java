package org.statemigration.smp.crypto;

import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens single segments: one AES-256-GCM message per segment, one {@link Cipher} re-initialised per
 * segment. Not thread-safe; each stream owns one.
 */
final class SegmentCipher {

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	// named explicitly: Bouncy Castle is on the classpath and, if ever registered first, is 25 times slower
	private static final String PROVIDER = "SunJCE";

	private static final int NONCE_LENGTH = 12;

	private static final int INDEX_OFFSET = SegmentedStreamHeader.NONCE_PREFIX_LENGTH;

	private static final int LAST_FLAG_OFFSET = NONCE_LENGTH - 1;

	private final Cipher cipher;

	private final SecretKeySpec key;

	private final byte[] associatedData;

	private final byte[] nonce = new byte[NONCE_LENGTH];

	SegmentCipher(SecretKeySpec key, SegmentedStreamHeader header, byte[] associatedData) {
		try {
			this.cipher = Cipher.getInstance(TRANSFORMATION, PROVIDER);
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("AES-GCM of the SunJCE provider is not available", ex);
		}
		this.key = key;
		byte[] headerBytes = header.toBytes();
		this.associatedData = new byte[headerBytes.length + associatedData.length];
		System.arraycopy(headerBytes, 0, this.associatedData, 0, headerBytes.length);
		System.arraycopy(associatedData, 0, this.associatedData, headerBytes.length, associatedData.length);
		System.arraycopy(header.noncePrefix(), 0, this.nonce, 0, INDEX_OFFSET);
	}

	/**
	 * Seals {@code plaintext[0..length)} into {@code sealed}, which must have room for length + tag bytes and may
	 * be the same array (sealed in place).
	 * @return the sealed length
	 */
	int seal(byte[] plaintext, int length, byte[] sealed, long index, boolean last) {
		try {
			init(Cipher.ENCRYPT_MODE, index, last);
			return this.cipher.doFinal(plaintext, 0, length, sealed, 0);
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot seal segment " + index, ex);
		}
	}

	/**
	 * Opens {@code sealed[0..length)} into {@code plaintext}. Nothing in {@code plaintext} may be used unless
	 * this returns normally.
	 * @return the plaintext length
	 * @throws AEADBadTagException if the segment fails authentication
	 */
	int open(byte[] sealed, int length, byte[] plaintext, long index, boolean last) throws AEADBadTagException {
		try {
			init(Cipher.DECRYPT_MODE, index, last);
			return this.cipher.doFinal(sealed, 0, length, plaintext, 0);
		}
		catch (AEADBadTagException ex) {
			throw ex;
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot open segment " + index, ex);
		}
	}

	private void init(int mode, long index, boolean last) throws GeneralSecurityException {
		int i = (int) index;
		this.nonce[INDEX_OFFSET] = (byte) (i >>> 24);
		this.nonce[INDEX_OFFSET + 1] = (byte) (i >>> 16);
		this.nonce[INDEX_OFFSET + 2] = (byte) (i >>> 8);
		this.nonce[INDEX_OFFSET + 3] = (byte) i;
		this.nonce[LAST_FLAG_OFFSET] = (byte) (last ? 1 : 0);
		// the JCE API takes the nonce only through a new (12-byte) parameter spec; the one allocation per segment
		this.cipher.init(mode, this.key, new GCMParameterSpec(SegmentedStreamFormat.TAG_LENGTH * 8, this.nonce));
		this.cipher.updateAAD(this.associatedData);
	}

}
