package org.statemigration.smp.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.spec.SecretKeySpec;

/**
 * A random 256-bit AES data key: each stored version of a state store is encrypted under its own data key,
 * which is kept only wrapped by a key-encryption key (see {@link KeyEncryptionKeys}).
 * <p>
 * Closing the key zeroes its bytes; use it in a try-with-resources block. The streams of this package take
 * their own copy when they are created, so the key may be closed as soon as they exist.
 */
public final class DataKey implements AutoCloseable {

	/** Length of a data key in bytes (AES-256). */
	public static final int LENGTH = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final byte[] bytes;

	private volatile boolean closed;

	private DataKey(byte[] bytes) {
		this.bytes = bytes;
	}

	/** Draws a fresh key from {@link SecureRandom}. */
	public static DataKey generate() {
		byte[] bytes = new byte[LENGTH];
		RANDOM.nextBytes(bytes);
		return new DataKey(bytes);
	}

	/**
	 * Wraps existing key bytes, typically just unwrapped by {@link KeyEncryptionKeys#unwrap}.
	 * @param bytes the 32 key bytes; copied, so the caller should zero its array
	 * @throws IllegalArgumentException if the array is not 32 bytes long
	 */
	public static DataKey of(byte[] bytes) {
		if (bytes == null || bytes.length != LENGTH) {
			throw new IllegalArgumentException("A data key is " + LENGTH + " bytes long");
		}
		return new DataKey(bytes.clone());
	}

	/**
	 * Returns a copy of the key bytes, for wrapping; zero the copy when done.
	 * @throws IllegalStateException if the key was closed
	 */
	public byte[] bytes() {
		checkOpen();
		return this.bytes.clone();
	}

	SecretKeySpec secretKey() {
		checkOpen();
		return new SecretKeySpec(this.bytes, "AES");
	}

	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("Data key is closed");
		}
	}

	/** Zeroes the key bytes; the key cannot be used afterwards. */
	@Override
	public void close() {
		this.closed = true;
		Arrays.fill(this.bytes, (byte) 0);
	}

	@Override
	public String toString() {
		// never the key itself: this string may end up in a log
		return "DataKey[" + (this.closed ? "closed" : "256 bits") + "]";
	}

}
