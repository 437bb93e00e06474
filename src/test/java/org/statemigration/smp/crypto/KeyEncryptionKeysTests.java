package org.statemigration.smp.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class KeyEncryptionKeysTests {

	private static final byte[] SECRET = "a data key of exactly 32 bytes!!".getBytes(StandardCharsets.US_ASCII);

	private static final String CONTEXT = "data-key:3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a36";

	@TempDir
	Path dir;

	@Test
	void createsTheMasterKeyFileReadableByItsOwnerOnly() throws IOException {
		Path file = this.dir.resolve("keys/master.key");
		KeyEncryptionKeys keys = KeyEncryptionKeys.loadOrCreate(file);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(KeyEncryptionKeys.isReadableByOthers(file)).isFalse();
		assertThat(keys.versions()).containsExactly(1);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
		assertThat(KeyEncryptionKeys.isReadableByOthers(file)).isTrue();
	}

	@Test
	void unwrapsWhatItWrapped() {
		KeyEncryptionKeys keys = KeyEncryptionKeys.loadOrCreate(this.dir.resolve("master.key"));
		byte[] wrapped = keys.wrap(SECRET, CONTEXT);
		assertThat(wrapped).hasSize(1 + 4 + 12 + SECRET.length + 16);
		assertThat(keys.unwrap(wrapped, CONTEXT)).isEqualTo(SECRET);
	}

	@Test
	void wrapsTheSameSecretDifferentlyEachTime() {
		KeyEncryptionKeys keys = KeyEncryptionKeys.loadOrCreate(this.dir.resolve("master.key"));
		assertThat(keys.wrap(SECRET, CONTEXT)).isNotEqualTo(keys.wrap(SECRET, CONTEXT));
	}

	@Test
	void refusesToUnwrapForAnotherContext() {
		KeyEncryptionKeys keys = KeyEncryptionKeys.loadOrCreate(this.dir.resolve("master.key"));
		byte[] wrapped = keys.wrap(SECRET, CONTEXT);
		assertThatExceptionOfType(CryptoException.class).isThrownBy(() -> keys.unwrap(wrapped, "token-signing-key"));
	}

	@Test
	void refusesToUnwrapTamperedBytes() {
		KeyEncryptionKeys keys = KeyEncryptionKeys.loadOrCreate(this.dir.resolve("master.key"));
		byte[] wrapped = keys.wrap(SECRET, CONTEXT);
		// format, key version, nonce, ciphertext and tag
		for (int index : new int[] { 0, 4, 5, 20, wrapped.length - 1 }) {
			assertThatExceptionOfType(CryptoException.class).as("byte %d flipped", index)
				.isThrownBy(() -> keys.unwrap(Ciphertexts.flipBit(wrapped, index), CONTEXT));
		}
		assertThatExceptionOfType(CryptoException.class).isThrownBy(() -> keys.unwrap(new byte[10], CONTEXT));
	}

	@Test
	void keepsOldVersionsReadableAfterAddingOne() {
		KeyEncryptionKeys keys = KeyEncryptionKeys.loadOrCreate(this.dir.resolve("master.key"));
		byte[] old = keys.wrap(SECRET, CONTEXT);
		assertThat(keys.addVersion()).isEqualTo(2);
		byte[] fresh = keys.wrap(SECRET, CONTEXT);
		assertThat(KeyEncryptionKeys.versionOf(old)).isEqualTo(1);
		assertThat(KeyEncryptionKeys.versionOf(fresh)).isEqualTo(2);
		assertThat(keys.unwrap(old, CONTEXT)).isEqualTo(SECRET);
		assertThat(keys.unwrap(fresh, CONTEXT)).isEqualTo(SECRET);
		byte[] rewrapped = keys.rewrap(old, CONTEXT);
		assertThat(KeyEncryptionKeys.versionOf(rewrapped)).isEqualTo(2);
		assertThat(keys.unwrap(rewrapped, CONTEXT)).isEqualTo(SECRET);
	}

	@Test
	void reloadsAllVersionsFromTheFile() {
		Path file = this.dir.resolve("master.key");
		KeyEncryptionKeys first = KeyEncryptionKeys.loadOrCreate(file);
		byte[] old = first.wrap(SECRET, CONTEXT);
		first.addVersion();
		byte[] fresh = first.wrap(SECRET, CONTEXT);
		KeyEncryptionKeys reloaded = KeyEncryptionKeys.loadOrCreate(file);
		assertThat(reloaded.versions()).containsExactly(1, 2);
		assertThat(reloaded.currentVersion()).isEqualTo(2);
		assertThat(reloaded.unwrap(old, CONTEXT)).isEqualTo(SECRET);
		assertThat(reloaded.unwrap(fresh, CONTEXT)).isEqualTo(SECRET);
	}

	@Test
	void aRunningServerTakesInAVersionThatAnotherProcessAdded() {
		Path file = this.dir.resolve("master.key");
		KeyEncryptionKeys running = KeyEncryptionKeys.loadOrCreate(file);
		byte[] before = running.wrap(SECRET, CONTEXT);
		KeyEncryptionKeys rotation = KeyEncryptionKeys.loadOrCreate(file);

		assertThat(rotation.addVersion()).isEqualTo(2);
		byte[] rewrapped = rotation.rewrap(before, CONTEXT);

		assertThat(KeyEncryptionKeys.versionOf(rewrapped)).isEqualTo(2);
		assertThat(running.unwrap(rewrapped, CONTEXT)).isEqualTo(SECRET);
		assertThat(KeyEncryptionKeys.versionOf(running.wrap(SECRET, CONTEXT))).isEqualTo(2);
		assertThat(running.versions()).containsExactly(1, 2);
		assertThat(running.unwrap(before, CONTEXT)).isEqualTo(SECRET);
	}

	@Test
	void aFileThatChangesAVersionInUseIsIgnored() throws IOException {
		Path file = this.dir.resolve("master.key");
		KeyEncryptionKeys running = KeyEncryptionKeys.loadOrCreate(file);
		byte[] wrapped = running.wrap(SECRET, CONTEXT);
		Files.writeString(file, "smp-kek v1 " + "A".repeat(43) + "=\nsmp-kek v2 " + "B".repeat(43) + "=\n",
				StandardCharsets.US_ASCII);

		assertThat(KeyEncryptionKeys.versionOf(running.wrap(SECRET, CONTEXT))).isEqualTo(1);
		assertThat(running.versions()).containsExactly(1);
		assertThat(running.unwrap(wrapped, CONTEXT)).isEqualTo(SECRET);
	}

	@Test
	void refusesToUnwrapWithAnotherMasterKeyFile() {
		byte[] wrapped = KeyEncryptionKeys.loadOrCreate(this.dir.resolve("one.key")).wrap(SECRET, CONTEXT);
		KeyEncryptionKeys other = KeyEncryptionKeys.loadOrCreate(this.dir.resolve("other.key"));
		assertThatExceptionOfType(CryptoException.class).isThrownBy(() -> other.unwrap(wrapped, CONTEXT));
	}

	@Test
	void refusesAMalformedFile() throws IOException {
		Path file = this.dir.resolve("master.key");
		Files.writeString(file, "smp-kek v1 not-base64-of-32-bytes\n");
		assertThatIllegalStateException().isThrownBy(() -> KeyEncryptionKeys.loadOrCreate(file));
	}

	@Test
	void refusesAFileWithoutKeys() throws IOException {
		Path file = this.dir.resolve("master.key");
		Files.writeString(file, "# nothing here\n");
		assertThatIllegalStateException().isThrownBy(() -> KeyEncryptionKeys.loadOrCreate(file));
	}

}
