package org.statemigration.smp.backup.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The keys sealed under a passphrase: Argon2id and AES-256-GCM. */
class KeyBundleTests {

	private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

	@Test
	void opensWhatItSealedWithTheSamePassphrase() {
		Map<String, byte[]> files = files();
		Map<String, byte[]> opened = KeyBundle.open(KeyBundle.seal(files, PASSPHRASE, 1024, 1), PASSPHRASE);
		assertThat(opened).containsOnlyKeys("keys/master.key", "tls/server.p12");
		assertThat(opened.get("keys/master.key")).isEqualTo(files().get("keys/master.key"));
		assertThat(opened.get("tls/server.p12")).isEqualTo(files().get("tls/server.p12"));
	}

	@Test
	void sealsWithTheDefaultMemoryHardParametersAndNamesThem() {
		String header = new String(KeyBundle.seal(files(), PASSPHRASE), 0, 200, StandardCharsets.ISO_8859_1);
		assertThat(header).startsWith(KeyBundle.MAGIC + "\n")
			.contains("\"kdf\":\"argon2id\"")
			.contains("\"memoryKiB\":65536")
			.contains("\"iterations\":3");
	}

	@Test
	void refusesAWrongPassphrase() {
		byte[] sealed = KeyBundle.seal(files(), PASSPHRASE, 1024, 1);
		assertThatExceptionOfType(BackupRefusedException.class)
			.isThrownBy(() -> KeyBundle.open(sealed, "correct horse battery stapler".toCharArray()))
			.withMessageContaining("passphrase does not open");
	}

	@Test
	void refusesAChangedByteInTheCiphertextOrTheHeader() {
		byte[] sealed = KeyBundle.seal(files(), PASSPHRASE, 1024, 1);
		byte[] body = sealed.clone();
		body[body.length - 5] ^= 1;
		assertThatExceptionOfType(BackupRefusedException.class).isThrownBy(() -> KeyBundle.open(body, PASSPHRASE));
		byte[] header = new String(sealed, StandardCharsets.ISO_8859_1).replace("\"iterations\":1", "\"iterations\":2")
			.getBytes(StandardCharsets.ISO_8859_1);
		assertThatExceptionOfType(BackupRefusedException.class).isThrownBy(() -> KeyBundle.open(header, PASSPHRASE));
	}

	@Test
	void refusesWhatIsNotASealedBundle() {
		assertThatExceptionOfType(BackupRefusedException.class)
			.isThrownBy(() -> KeyBundle.open("smp-kek v1 abc\n".getBytes(StandardCharsets.UTF_8), PASSPHRASE))
			.withMessageContaining("not one smp wrote");
	}

	@Test
	void twoSealsOfTheSameFilesDiffer() {
		assertThat(KeyBundle.seal(files(), PASSPHRASE, 1024, 1)).isNotEqualTo(KeyBundle.seal(files(), PASSPHRASE, 1024, 1));
	}

	private static Map<String, byte[]> files() {
		Map<String, byte[]> files = new LinkedHashMap<>();
		files.put("keys/master.key", "smp-kek v1 AAAA\n".getBytes(StandardCharsets.UTF_8));
		files.put("tls/server.p12", new byte[] { 0, 1, 2, (byte) 255 });
		return files;
	}

}
