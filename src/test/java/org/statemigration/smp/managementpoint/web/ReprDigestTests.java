package org.statemigration.smp.managementpoint.web;

import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.statemigration.smp.problem.ValidationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Parsing of the {@code Repr-Digest} request header (RFC 9530, a structured-field dictionary).
 */
class ReprDigestTests {

	private static final String SHA256 = Base64.getEncoder().encodeToString(new byte[32]);

	private static final String SHA512 = Base64.getEncoder().encodeToString(filled(64, 7));

	@Test
	void absentHeaderAsksForNoCheck() {
		assertThat(ReprDigest.parse(null)).isNull();
	}

	@Test
	void readsSha256AndSha512() {
		ReprDigest digest = ReprDigest.parse("sha-256=:" + SHA256 + ":, sha-512=:" + SHA512 + ":");
		assertThat(digest.sha256()).hasSize(32);
		assertThat(digest.sha512()).isEqualTo(filled(64, 7));
	}

	@Test
	void readsSha512Alone() {
		ReprDigest digest = ReprDigest.parse("sha-512=:" + SHA512 + ":");
		assertThat(digest.sha256()).isNull();
		assertThat(digest.sha512()).hasSize(64);
	}

	@Test
	void ignoresAlgorithmsItCannotCheckBesideOneItCan() {
		ReprDigest digest = ReprDigest.parse("md5=:AAAAAAAAAAAAAAAAAAAAAA==:,sha-256=:" + SHA256 + ":");
		assertThat(digest.sha256()).hasSize(32);
	}

	@Test
	void toleratesParametersAndUpperCaseKeys() {
		assertThat(ReprDigest.parse("SHA-256=:" + SHA256 + ":;x=1").sha256()).hasSize(32);
	}

	@ParameterizedTest
	@ValueSource(strings = { "md5=:AAAAAAAAAAAAAAAAAAAAAA==:", "sha=:AAAAAAAAAAAAAAAAAAAAAAAAAAA=:",
			"unixsum=:AAAA:", "id-sha-256=:AAAA:" })
	void refusesAHeaderWithOnlyAlgorithmsItCannotCheck(String header) {
		assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> ReprDigest.parse(header))
			.withMessageContaining("no algorithm this server checks");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "sha-256", "sha-256=abc", "sha-256=:abc", "sha-256=:!!!!:", "sha-256=:AAAA:",
			"sha-512=:AAAA:", "sha-256=:" + "AAAA" + ":,", ",sha-256=:AAAA:", "sha-256=\"x\"",
			"sha-256=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:, sha-256=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:" })
	void refusesMalformedHeaders(String header) {
		assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> ReprDigest.parse(header));
	}

	private static byte[] filled(int length, int value) {
		byte[] bytes = new byte[length];
		java.util.Arrays.fill(bytes, (byte) value);
		return bytes;
	}

}
