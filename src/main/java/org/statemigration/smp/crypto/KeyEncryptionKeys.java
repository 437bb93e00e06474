package org.statemigration.smp.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The versioned key-encryption keys (KEKs) kept in the master key file. Every secret that smp stores (data
 * keys, the token-signing key, association encryption keys, the CA key) is wrapped by the newest version;
 * older versions stay readable so that rotation can re-wrap without a flag day.
 * <p>
 * The file holds one line per version, {@code smp-kek v<N> <base64 of 32 bytes>}. It is created with mode
 * 0600 on first use. A wrapped secret is {@code 0x01 || kek version (4 bytes) || nonce (12) || AES-256-GCM
 * ciphertext and tag}, with a caller-chosen context string as associated data, so a secret wrapped for one
 * purpose cannot be substituted for another.
 * <p>
 * A version that another process appends to the file while this one runs ({@code keys rotate}) is taken in on
 * the next wrap, or when a secret wrapped by it is first met.
 */
public final class KeyEncryptionKeys {

	private static final Log logger = LogFactory.getLog(KeyEncryptionKeys.class);

	private static final byte FORMAT = 1;

	private static final int KEY_BYTES = 32;

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private static final String LINE_PREFIX = "smp-kek";

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private final Path file;

	private final TreeMap<Integer, byte[]> keys;

	private final SecureRandom random;

	// what the file looked like when last read: a change means another process (keys rotate) added a version
	private FileStamp readStamp;

	private KeyEncryptionKeys(Path file, TreeMap<Integer, byte[]> keys, SecureRandom random, FileStamp readStamp) {
		this.file = file;
		this.keys = keys;
		this.random = random;
		this.readStamp = readStamp;
	}

	/**
	 * Reads the master key file, creating it with one fresh key version (mode 0600) if it does not exist.
	 */
	public static KeyEncryptionKeys loadOrCreate(Path file) {
		SecureRandom random = new SecureRandom();
		try {
			if (Files.notExists(file)) {
				create(file, random);
			}
			FileStamp stamp = FileStamp.of(file);
			return new KeyEncryptionKeys(file, parse(file), random, stamp);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create the master key file " + file, ex);
		}
	}

	private static void create(Path file, SecureRandom random) throws IOException {
		Path parent = file.toAbsolutePath().getParent();
		Files.createDirectories(parent);
		byte[] key = new byte[KEY_BYTES];
		random.nextBytes(key);
		try {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
		}
		catch (FileAlreadyExistsException ex) {
			// another node or process created it first: use theirs
			return;
		}
		catch (UnsupportedOperationException ex) {
			Files.createFile(file);
		}
		Files.writeString(file, header() + line(1, key), StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
				StandardOpenOption.SYNC);
		Arrays.fill(key, (byte) 0);
	}

	private static String header() {
		return "# smp master key file: key-encryption keys, newest version last. Back it up; keep it secret.\n";
	}

	private static String line(int version, byte[] key) {
		return LINE_PREFIX + " v" + version + " " + Base64.getEncoder().encodeToString(key) + "\n";
	}

	private static TreeMap<Integer, byte[]> parse(Path file) throws IOException {
		TreeMap<Integer, byte[]> keys = new TreeMap<>();
		List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
		for (String raw : lines) {
			String line = raw.strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			String[] parts = line.split("\\s+");
			if (parts.length != 3 || !parts[0].equals(LINE_PREFIX) || !parts[1].startsWith("v")) {
				throw new IllegalStateException("Malformed line in master key file " + file);
			}
			int version;
			byte[] key;
			try {
				version = Integer.parseInt(parts[1].substring(1));
				key = Base64.getDecoder().decode(parts[2]);
			}
			catch (IllegalArgumentException ex) {
				// no cause: the message of a Base64 failure would quote part of the key
				throw new IllegalStateException("Malformed line in master key file " + file);
			}
			if (key.length != KEY_BYTES) {
				throw new IllegalStateException("Key v" + version + " in " + file + " is not 256 bits");
			}
			keys.put(version, key);
		}
		if (keys.isEmpty()) {
			throw new IllegalStateException("Master key file " + file + " holds no key");
		}
		return keys;
	}

	/**
	 * Appends a new key version to the master key file; it becomes the version used for wrapping.
	 * @return the new version number
	 */
	public synchronized int addVersion() {
		int version = currentVersion() + 1;
		byte[] key = new byte[KEY_BYTES];
		this.random.nextBytes(key);
		try {
			Files.writeString(this.file, line(version, key), StandardCharsets.US_ASCII, StandardOpenOption.APPEND,
					StandardOpenOption.SYNC);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot append to master key file " + this.file, ex);
		}
		this.keys.put(version, key);
		this.readStamp = stampOrNull();
		return version;
	}

	/**
	 * Takes in the versions that another process added to the master key file since it was read (a
	 * {@code keys rotate} while this server runs), so that this server wraps with the newest version and can unwrap
	 * what was re-wrapped under it. Only additions are taken: if a version already in use reads differently, the
	 * file is ignored and the keys in use stay.
	 */
	private synchronized void reloadIfChanged() {
		FileStamp stamp = stampOrNull();
		if (stamp == null || stamp.equals(this.readStamp)) {
			return;
		}
		this.readStamp = stamp;
		TreeMap<Integer, byte[]> read;
		try {
			read = parse(this.file);
		}
		catch (IOException | IllegalStateException ex) {
			logger.error("The master key file " + this.file + " changed and cannot be read; keeping the keys in use: "
					+ ex.getMessage());
			return;
		}
		for (Map.Entry<Integer, byte[]> known : this.keys.entrySet()) {
			byte[] reread = read.get(known.getKey());
			if (reread == null || !MessageDigest.isEqual(reread, known.getValue())) {
				logger.error("The master key file " + this.file + " changed a key version in use (v" + known.getKey()
						+ " is missing or different); keeping the keys in use");
				return;
			}
		}
		read.forEach((version, key) -> {
			if (this.keys.putIfAbsent(version, key) == null) {
				logger.info("Key-encryption key version " + version + " was added to " + this.file + "; it is now in use");
			}
		});
	}

	private FileStamp stampOrNull() {
		try {
			return FileStamp.of(this.file);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private record FileStamp(FileTime modified, long size) {

		static FileStamp of(Path file) throws IOException {
			return new FileStamp(Files.getLastModifiedTime(file), Files.size(file));
		}

	}

	public synchronized int currentVersion() {
		return this.keys.lastKey();
	}

	public synchronized List<Integer> versions() {
		return Collections.unmodifiableList(new ArrayList<>(this.keys.keySet()));
	}

	public Path file() {
		return this.file;
	}

	/**
	 * Wraps a secret under the current key version.
	 * @param secret the secret (left untouched; zero it yourself when done)
	 * @param context what the secret is for, e.g. {@code "data-key:<store id>"}; needed again to unwrap
	 */
	public byte[] wrap(byte[] secret, String context) {
		reloadIfChanged();
		int version;
		byte[] kek;
		synchronized (this) {
			version = currentVersion();
			kek = this.keys.get(version);
		}
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		try {
			Cipher cipher = cipher(Cipher.ENCRYPT_MODE, kek, nonce, context);
			ByteBuffer out = ByteBuffer.allocate(1 + 4 + NONCE_BYTES + secret.length + TAG_BITS / 8);
			out.put(FORMAT).putInt(version).put(nonce);
			cipher.doFinal(ByteBuffer.wrap(secret), out);
			return out.array();
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot wrap secret", ex);
		}
	}

	/**
	 * Unwraps a secret wrapped by {@link #wrap}, with whichever key version wrapped it.
	 * @throws CryptoException if the context differs, the bytes were changed, or the key version is unknown
	 */
	public byte[] unwrap(byte[] wrapped, String context) {
		if (wrapped == null || wrapped.length < 1 + 4 + NONCE_BYTES + TAG_BITS / 8 || wrapped[0] != FORMAT) {
			throw new CryptoException("Not a wrapped secret");
		}
		ByteBuffer in = ByteBuffer.wrap(wrapped);
		in.get();
		int version = in.getInt();
		byte[] kek = knownKey(version);
		if (kek == null) {
			reloadIfChanged();
			kek = knownKey(version);
		}
		if (kek == null) {
			throw new CryptoException("Secret is wrapped with unknown key version " + version);
		}
		byte[] nonce = new byte[NONCE_BYTES];
		in.get(nonce);
		try {
			Cipher cipher = cipher(Cipher.DECRYPT_MODE, kek, nonce, context);
			return cipher.doFinal(wrapped, in.position(), in.remaining());
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot unwrap secret", ex);
		}
	}

	private synchronized byte[] knownKey(int version) {
		return this.keys.get(version);
	}

	/**
	 * Derives a key for one purpose from a key version: HKDF-Expand (RFC 5869) with that version as the
	 * pseudorandom key, {@code purpose} as the info and 32 bytes of output, i.e. HMAC-SHA-256(KEK, purpose || 0x01).
	 * The KEK is already uniformly random, so the extract step is not needed. The same version and purpose always
	 * give the same key, so what it protects stays checkable after a rotation as long as the version stays in the
	 * file.
	 * @param version the key version (see {@link #versions()})
	 * @param purpose a fixed label naming what the key is for; different labels give unrelated keys
	 * @return 32 key bytes (zero them when done)
	 * @throws CryptoException if the version is unknown
	 */
	public byte[] deriveKey(int version, String purpose) {
		byte[] kek = knownKey(version);
		if (kek == null) {
			reloadIfChanged();
			kek = knownKey(version);
		}
		if (kek == null) {
			throw new CryptoException("Unknown key version " + version);
		}
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(kek, "HmacSHA256"));
			mac.update(purpose.getBytes(StandardCharsets.UTF_8));
			mac.update((byte) 1);
			return mac.doFinal();
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot derive a key", ex);
		}
	}

	/** The key version that wrapped the given secret. */
	public static int versionOf(byte[] wrapped) {
		return ByteBuffer.wrap(wrapped, 1, 4).getInt();
	}

	/** Re-wraps a secret under the current key version. */
	public byte[] rewrap(byte[] wrapped, String context) {
		byte[] secret = unwrap(wrapped, context);
		try {
			return wrap(secret, context);
		}
		finally {
			Arrays.fill(secret, (byte) 0);
		}
	}

	private static Cipher cipher(int mode, byte[] kek, byte[] nonce, String context) throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(mode, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
		cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
		return cipher;
	}

	/** True if the file can be read by anyone but its owner. */
	public static boolean isReadableByOthers(Path file) {
		try {
			Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
			return permissions.stream().anyMatch((p) -> !OWNER_ONLY.contains(p) && p != PosixFilePermission.OWNER_EXECUTE);
		}
		catch (IOException | UnsupportedOperationException ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		return "KeyEncryptionKeys[" + this.file + ", versions " + this.keys.keySet() + "]";
	}

	Map<Integer, byte[]> keysForTesting() {
		return this.keys;
	}

}
