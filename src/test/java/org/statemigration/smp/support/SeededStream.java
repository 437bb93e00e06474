package org.statemigration.smp.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic bytes of any length, made on the fly and never held in memory; a different seed gives different
 * bytes, so that two versions of a store can be told apart by their digests.
 */
public final class SeededStream extends InputStream {

	private final long size;

	private final long seed;

	private long position;

	public SeededStream(long size, long seed) {
		this.size = size;
		this.seed = seed;
	}

	@Override
	public int read() {
		if (this.position >= this.size) {
			return -1;
		}
		return mix(this.position++);
	}

	@Override
	public int read(byte[] b, int off, int len) {
		if (this.position >= this.size) {
			return -1;
		}
		int n = (int) Math.min(len, this.size - this.position);
		for (int i = 0; i < n; i++) {
			b[off + i] = (byte) mix(this.position + i);
		}
		this.position += n;
		return n;
	}

	private int mix(long x) {
		long z = (x + this.seed * 0xBF58476D1CE4E5B9L) * 0x9E3779B97F4A7C15L;
		return (int) (z >>> 56) & 0xff;
	}

	/** The hex SHA-256 of what the stream of this size and seed yields. */
	public static String sha256(long size, long seed) throws IOException {
		return sha256(new SeededStream(size, seed));
	}

	/** The hex SHA-256 of a stream, read to its end and closed. */
	public static String sha256(InputStream in) throws IOException {
		try (DigestInputStream digesting = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
			byte[] buffer = new byte[1 << 20];
			while (digesting.read(buffer) != -1) {
				// the digest is all we keep
			}
			return HexFormat.of().formatHex(digesting.getMessageDigest().digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The hex SHA-256 of a file's bytes as they are on disk (ciphertext, for a store file). */
	public static String sha256(Path file) throws IOException {
		return sha256(Files.newInputStream(file));
	}

}
