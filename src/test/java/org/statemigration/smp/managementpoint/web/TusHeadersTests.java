package org.statemigration.smp.managementpoint.web;

import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.statemigration.smp.problem.ValidationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Parsing of the tus headers that carry numbers and checksums.
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

}
