package org.statemigration.smp.managementpoint.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.statemigration.smp.problem.ValidationException;
import org.statemigration.smp.store.UploadChecksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Parsing of the tus headers: {@code Tus-Resumable}, the chunk's media type, {@code Upload-Offset} and
 * {@code Upload-Length} (plain digits only), the {@code sha256} of {@code Upload-Metadata}, {@code Upload-Checksum},
 * and the date of {@code Upload-Expires}.
 */
class TusHeadersTests {

	@ParameterizedTest
	@ValueSource(strings = { "0", "10", "0010", "9223372036854775807" })
	void takesPlainDigits(String value) {
		assertThat(TusHeaders.size(value, TusHeaders.UPLOAD_LENGTH)).isEqualTo(Long.parseLong(value));
	}

	@ParameterizedTest
	@ValueSource(strings = { "+10", "-1", "1e3", "0x10", "1 0", "10.0", "", "١٠", "９", "9223372036854775808",
			"99999999999999999999" })
	void refusesAnythingButPlainDigits(String value) {
		assertThatExceptionOfType(ValidationException.class)
			.isThrownBy(() -> TusHeaders.size(value, TusHeaders.UPLOAD_OFFSET))
			.withMessageContaining("Upload-Offset");
	}

	@Test
	void checksumMustHaveTheLengthOfItsAlgorithm() {
		String twenty = Base64.getEncoder().encodeToString(new byte[20]);
		String thirtyTwo = Base64.getEncoder().encodeToString(new byte[32]);
		assertThat(TusHeaders.checksum("sha1 " + twenty).digest()).hasSize(20);
		assertThat(TusHeaders.checksum("sha256 " + thirtyTwo).digest()).hasSize(32);
		assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> TusHeaders.checksum("sha1 " + thirtyTwo));
		assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> TusHeaders.checksum("sha256 " + twenty));
		assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> TusHeaders.checksum("md5 " + twenty));
	}

	@Test
	void takesDigitsWithSpaceAround() {
		assertThat(TusHeaders.size(" 42\t", TusHeaders.UPLOAD_LENGTH)).isEqualTo(42);
	}

	@Test
	void sizeIsRequired() {
		assertThatExceptionOfType(ValidationException.class)
			.isThrownBy(() -> TusHeaders.size(null, TusHeaders.UPLOAD_LENGTH))
			.withMessageContaining("Upload-Length is required");
	}

	@ParameterizedTest
	@ValueSource(strings = { "1.0.0", " 1.0.0 " })
	void speaksTus100(String version) {
		TusHeaders.checkResumable(version);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "0.2.2", "1.0", "1.0.1", "2.0.0" })
	void refusesAnyOtherTusVersion(String version) {
		assertThatExceptionOfType(TusHeaders.UnsupportedVersionException.class)
			.isThrownBy(() -> TusHeaders.checkResumable(version));
	}

	@Test
	void refusesARequestWithoutTusResumable() {
		assertThatExceptionOfType(TusHeaders.UnsupportedVersionException.class)
			.isThrownBy(() -> TusHeaders.checkResumable(null));
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/offset+octet-stream", "Application/Offset+Octet-Stream",
			" application/offset+octet-stream", "application/offset+octet-stream; charset=binary" })
	void takesChunksOfOffsetOctetStream(String contentType) {
		TusHeaders.checkContentType(contentType);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "application/octet-stream", "text/plain", "multipart/form-data; boundary=x" })
	void refusesChunksOfAnyOtherMediaType(String contentType) {
		assertThatExceptionOfType(TusHeaders.UnsupportedMediaTypeException.class)
			.isThrownBy(() -> TusHeaders.checkContentType(contentType));
	}

	@Test
	void refusesAChunkWithoutContentType() {
		assertThatExceptionOfType(TusHeaders.UnsupportedMediaTypeException.class)
			.isThrownBy(() -> TusHeaders.checkContentType(null));
	}

	@Test
	void metadataWithoutSha256HasNoDigest() {
		assertThat(TusHeaders.sha256(null)).isNull();
		assertThat(TusHeaders.sha256("")).isNull();
		assertThat(TusHeaders.sha256("   ")).isNull();
		assertThat(TusHeaders.sha256("filename " + base64("USMT.MIG") + ",is_confidential")).isNull();
	}

	@Test
	void readsTheDigestOfSha256AmongOtherKeys() {
		byte[] digest = digest();
		String metadata = "filename " + base64("USMT.MIG") + ",sha256 " + base64(digest) + ",is_confidential";
		assertThat(TusHeaders.sha256(metadata)).isEqualTo(HexFormat.of().formatHex(digest));
	}

	@Test
	void readsSha256GivenAsHexOrBase64Text() {
		byte[] digest = digest();
		String hex = HexFormat.of().formatHex(digest);
		assertThat(TusHeaders.sha256("sha256 " + base64(hex))).isEqualTo(hex);
		assertThat(TusHeaders.sha256("sha256 " + base64(hex.toUpperCase()))).isEqualTo(hex);
		assertThat(TusHeaders.sha256("sha256 " + base64(Base64.getEncoder().encodeToString(digest)))).isEqualTo(hex);
	}

	@ParameterizedTest
	@ValueSource(strings = { "sha256", "sha256 ", "sha256 bm90IGEgZGlnZXN0", "sha256 AAAA" })
	void refusesASha256ThatIsNotADigest(String metadata) {
		assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> TusHeaders.sha256(metadata))
			.withMessageContaining("sha256");
	}

	@Test
	void refusesMetadataThatIsNotBase64() {
		assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> TusHeaders.sha256("sha256 !!!!"))
			.withMessageContaining("Upload-Metadata");
	}

	@Test
	void noChecksumWithoutTheHeader() {
		assertThat(TusHeaders.checksum(null)).isNull();
	}

	@Test
	void readsTheAlgorithmAndTheDigestOfAChecksum() {
		byte[] twenty = new byte[20];
		twenty[0] = 7;
		UploadChecksum sha1 = TusHeaders.checksum("sha1 " + base64(twenty));
		assertThat(sha1.algorithm()).isEqualTo("SHA-1");
		assertThat(sha1.digest()).isEqualTo(twenty);
		UploadChecksum sha256 = TusHeaders.checksum(" SHA256 " + base64(digest()) + " ");
		assertThat(sha256.algorithm()).isEqualTo("SHA-256");
		assertThat(sha256.digest()).isEqualTo(digest());
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "sha256", "sha256:AAAA", "sha256 !!!!", "crc32 AAAAAA==", "sha512 AAAA" })
	void refusesAMalformedChecksum(String value) {
		assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> TusHeaders.checksum(value))
			.withMessageContaining("Upload-Checksum");
	}

	@Test
	void writesUploadExpiresAsAnHttpDate() {
		assertThat(TusHeaders.httpDate(Instant.parse("2026-12-15T10:15:30Z")))
			.isEqualTo("Tue, 15 Dec 2026 10:15:30 GMT");
	}

	@Test
	void writesTheDayOfUploadExpiresWithTwoDigits() {
		assertThat(TusHeaders.httpDate(Instant.parse("2026-12-05T08:05:09Z")))
			.isEqualTo("Sat, 05 Dec 2026 08:05:09 GMT");
	}

	private static byte[] digest() {
		byte[] digest = new byte[32];
		for (int i = 0; i < digest.length; i++) {
			digest[i] = (byte) (i * 7 + 1);
		}
		return digest;
	}

	private static String base64(byte[] bytes) {
		return Base64.getEncoder().encodeToString(bytes);
	}

	private static String base64(String text) {
		return base64(text.getBytes(StandardCharsets.US_ASCII));
	}

}
