package org.statemigration.smp.backup.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The key files of a data directory (the master key, the server's TLS key store and its password) sealed under a
 * passphrase: a key derived with Argon2id (memory-hard, so that guessing passphrases costs memory as well as time)
 * from the passphrase and a random salt, and the files encrypted with AES-256-GCM under it. The format: a line
 * {@value #MAGIC}, a line of JSON with the KDF's parameters, the salt and the nonce (authenticated as associated
 * data), then the ciphertext of a JSON object naming each file and its bytes in Base64. A wrong passphrase, or any
 * change to the file, fails authentication.
 */
final class KeyBundle {

	static final String MAGIC = "smp-backup-keys v1";

	/** Argon2id's memory in KiB (64 MiB), passes and lanes: OWASP's recommendation for Argon2id and more. */
	static final int MEMORY_KIB = 64 * 1024;

	static final int ITERATIONS = 3;

	static final int PARALLELISM = 1;

	private static final int TAG_BITS = 128;

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final SecureRandom random = new SecureRandom();

	private KeyBundle() {
	}

	/** Seals the files (name to bytes) under the passphrase. */
	static byte[] seal(Map<String, byte[]> files, char[] passphrase) {
		return seal(files, passphrase, MEMORY_KIB, ITERATIONS);
	}

	static byte[] seal(Map<String, byte[]> files, char[] passphrase, int memoryKib, int iterations) {
		byte[] salt = randomBytes(16);
		byte[] nonce = randomBytes(12);
		ObjectNode header = json.createObjectNode()
			.put("kdf", "argon2id")
			.put("memoryKiB", memoryKib)
			.put("iterations", iterations)
			.put("parallelism", PARALLELISM)
			.put("salt", Base64.getEncoder().encodeToString(salt))
			.put("nonce", Base64.getEncoder().encodeToString(nonce))
			.put("cipher", "AES-256-GCM");
		byte[] headerBytes = (MAGIC + "\n" + json.writeValueAsString(header) + "\n").getBytes(StandardCharsets.UTF_8);
		ObjectNode content = json.createObjectNode();
		files.forEach((name, bytes) -> content.put(name, Base64.getEncoder().encodeToString(bytes)));
		byte[] plaintext = json.writeValueAsBytes(content);
		byte[] key = derive(passphrase, salt, memoryKib, iterations, PARALLELISM);
		try {
			byte[] ciphertext = cipher(Cipher.ENCRYPT_MODE, key, nonce, headerBytes).doFinal(plaintext);
			return ByteBuffer.allocate(headerBytes.length + ciphertext.length).put(headerBytes).put(ciphertext).array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot encrypt the keys", ex);
		}
		finally {
			Arrays.fill(key, (byte) 0);
			Arrays.fill(plaintext, (byte) 0);
		}
	}

	/**
	 * Opens sealed files.
	 * @throws BackupRefusedException if the passphrase is wrong or the bundle was changed
	 */
	static Map<String, byte[]> open(byte[] sealed, char[] passphrase) {
		int first = indexOf(sealed, 0);
		int second = (first < 0) ? -1 : indexOf(sealed, first + 1);
		if (second < 0 || !new String(sealed, 0, first, StandardCharsets.UTF_8).equals(MAGIC)) {
			throw new BackupRefusedException("The backup's keys file is not one smp wrote");
		}
		byte[] headerBytes = Arrays.copyOf(sealed, second + 1);
		JsonNode header = json.readTree(new String(sealed, first + 1, second - first - 1, StandardCharsets.UTF_8));
		if (!"argon2id".equals(header.path("kdf").asString()) || !"AES-256-GCM".equals(header.path("cipher").asString())) {
			throw new BackupRefusedException("The backup's keys file uses an unknown key derivation or cipher");
		}
		int memoryKib = header.path("memoryKiB").asInt();
		int iterations = header.path("iterations").asInt();
		int parallelism = header.path("parallelism").asInt();
		if (memoryKib < 8 || memoryKib > 4 * 1024 * 1024 || iterations < 1 || iterations > 100 || parallelism < 1
				|| parallelism > 16) {
			throw new BackupRefusedException("The backup's keys file names key derivation parameters out of bounds");
		}
		byte[] key = derive(passphrase, Base64.getDecoder().decode(header.path("salt").asString()), memoryKib,
				iterations, parallelism);
		byte[] plaintext = null;
		try {
			plaintext = cipher(Cipher.DECRYPT_MODE, key, Base64.getDecoder().decode(header.path("nonce").asString()),
					headerBytes).doFinal(sealed, headerBytes.length, sealed.length - headerBytes.length);
			Map<String, byte[]> files = new LinkedHashMap<>();
			JsonNode content = json.readTree(plaintext);
			for (Map.Entry<String, JsonNode> entry : content.properties()) {
				files.put(entry.getKey(), Base64.getDecoder().decode(entry.getValue().asString()));
			}
			return files;
		}
		catch (AEADBadTagException ex) {
			throw new BackupRefusedException(
					"The passphrase does not open the backup's keys (or the keys file was changed)");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot decrypt the keys", ex);
		}
		finally {
			Arrays.fill(key, (byte) 0);
			if (plaintext != null) {
				Arrays.fill(plaintext, (byte) 0);
			}
		}
	}

	private static byte[] derive(char[] passphrase, byte[] salt, int memoryKib, int iterations, int parallelism) {
		Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
			.withVersion(Argon2Parameters.ARGON2_VERSION_13)
			.withSalt(salt)
			.withMemoryAsKB(memoryKib)
			.withIterations(iterations)
			.withParallelism(parallelism)
			.build();
		Argon2BytesGenerator generator = new Argon2BytesGenerator();
		generator.init(parameters);
		byte[] key = new byte[32];
		generator.generateBytes(passphrase, key);
		return key;
	}

	private static Cipher cipher(int mode, byte[] key, byte[] nonce, byte[] associatedData)
			throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
		cipher.updateAAD(associatedData);
		return cipher;
	}

	private static int indexOf(byte[] bytes, int from) {
		for (int i = from; i < bytes.length; i++) {
			if (bytes[i] == '\n') {
				return i;
			}
		}
		return -1;
	}

	private static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

}
