package org.statemigration.smp.client.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import org.statemigration.smp.client.ExitCodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the client reads what a task-sequence author writes: fingerprints in their usual spellings, durations,
 * server URLs; and how it reports progress on a terminal and in a log.
 */
class ClientOptionsTests {

	private static final String HEX = "9ccc5c2388aef64d6f67fb82d297afd53866c78d54806e2ab910e52d7b71a910";

	@Test
	void fingerprintsAreReadInEveryUsualSpelling() {
		String colons = "9C:CC:5C:23:88:AE:F6:4D:6F:67:FB:82:D2:97:AF:D5:38:66:C7:8D:54:80:6E:2A:B9:10:E5:2D:7B:71:A9:10";
		assertThat(ServerTrust.normalize(colons)).isEqualTo(HEX);
		assertThat(ServerTrust.normalize(HEX.toUpperCase())).isEqualTo(HEX);
		assertThat(ServerTrust.normalize("sha256 Fingerprint=" + colons)).isEqualTo(HEX);
		assertThat(ServerTrust.normalize("SHA256:" + HEX)).isEqualTo(HEX);
		assertThat(ServerTrust.normalize(" " + HEX + "\n")).isEqualTo(HEX);
	}

	@Test
	void aFingerprintThatIsNotSha256IsAUsageError() {
		for (String wrong : new String[] { "12:34", HEX.substring(2), HEX + "00", "zz" + HEX.substring(2), "" }) {
			assertThatThrownBy(() -> ServerTrust.normalize(wrong)).isInstanceOfSatisfying(ClientFailure.class,
					(failure) -> assertThat(failure.exitCode()).isEqualTo(ExitCodes.USAGE));
		}
	}

	@Test
	void retryDelaysAreIsoDurationsOrSecondsOrMilliseconds() {
		RetryOptions.DurationConverter converter = new RetryOptions.DurationConverter();
		assertThat(converter.convert("PT60S")).isEqualTo(Duration.ofSeconds(60));
		assertThat(converter.convert("pt0.1s")).isEqualTo(Duration.ofMillis(100));
		assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
		assertThat(converter.convert("45")).isEqualTo(Duration.ofSeconds(45));
		assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
		for (String wrong : new String[] { "soon", "-5", "PT-1S", "1m" }) {
			assertThatThrownBy(() -> converter.convert(wrong)).isInstanceOf(CommandLine.TypeConversionException.class);
		}
	}

	@Test
	void serverUrlsMustBeHttpsAndBecomeABaseForApiPaths() {
		assertThat(EnrollCommand.serverUri("https://smp.example.com:8443").resolve("api/v1/enrollment"))
			.hasToString("https://smp.example.com:8443/api/v1/enrollment");
		assertThat(EnrollCommand.serverUri("https://proxy.example.com/smp").resolve("api/v1/mp/status"))
			.hasToString("https://proxy.example.com/smp/api/v1/mp/status");
		for (String wrong : new String[] { "http://smp:8443", "smp.example.com", "https:///path", "ht tp://x" }) {
			assertThatThrownBy(() -> EnrollCommand.serverUri(wrong)).isInstanceOfSatisfying(ClientFailure.class,
					(failure) -> assertThat(failure.exitCode()).isEqualTo(ExitCodes.USAGE));
		}
	}

	@Test
	void progressInALogIsAPlainLineAtEveryTenth() {
		StringWriter text = new StringWriter();
		Progress progress = new Progress(new PrintWriter(text), false, "Uploading", 1000);
		for (long at = 0; at <= 1000; at += 50) {
			progress.at(at);
		}
		progress.done();
		String[] lines = text.toString().split("\\R");
		assertThat(lines).hasSize(11);
		assertThat(lines[0]).startsWith("Uploading 0 B / 1000 B (0%)");
		assertThat(lines[10]).startsWith("Uploading 1000 B / 1000 B (100%)");
		assertThat(text.toString()).doesNotContain("\r");
	}

	@Test
	void progressOnATerminalIsRedrawnOnOneLine() {
		StringWriter text = new StringWriter();
		Progress progress = new Progress(new PrintWriter(text), true, "Downloading", 3L * 1024 * 1024 * 1024);
		progress.at(0);
		progress.at(3L * 1024 * 1024 * 1024);
		progress.done();
		assertThat(text.toString()).startsWith("\rDownloading 0 B / 3.0 GiB (0%)")
			.contains("\rDownloading 3.0 GiB / 3.0 GiB (100%)")
			.endsWith(System.lineSeparator());
		assertThat(text.toString().strip()).as("one line, redrawn").doesNotContain("\n");
	}

}
