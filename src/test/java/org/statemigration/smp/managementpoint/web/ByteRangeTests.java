package org.statemigration.smp.managementpoint.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which part of a restore a {@code Range} header asks for (RFC 9110 14.1.2): one range, served as asked or cut at
 * the end of the representation; anything else, the whole representation; a range wholly outside it, 416.
 * {@code If-Range} (13.1.5) keeps the range only for the version it names.
 */
class ByteRangeTests {

	private static final long SIZE = 1000;

	private static final String ETAG = "\"5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9\"";

	@Test
	void noRangeAsksForTheWhole() {
		assertThat(ByteRange.parse(null, SIZE)).isEmpty();
	}

	@Test
	void readsASingleRange() {
		ByteRange range = ByteRange.parse("bytes=100-199", SIZE).orElseThrow();
		assertThat(range).isEqualTo(new ByteRange(100, 100));
		assertThat(range.contentRange(SIZE)).isEqualTo("bytes 100-199/1000");
	}

	@Test
	void readsTheFirstAndTheLastByte() {
		assertThat(ByteRange.parse("bytes=0-0", SIZE)).contains(new ByteRange(0, 1));
		assertThat(ByteRange.parse("bytes=999-999", SIZE)).contains(new ByteRange(999, 1));
	}

	@Test
	void cutsARangeThatEndsPastTheRepresentation() {
		ByteRange range = ByteRange.parse("bytes=900-4999", SIZE).orElseThrow();
		assertThat(range).isEqualTo(new ByteRange(900, 100));
		assertThat(range.contentRange(SIZE)).isEqualTo("bytes 900-999/1000");
	}

	@Test
	void readsAnOpenEndedRangeToTheEnd() {
		assertThat(ByteRange.parse("bytes=300-", SIZE)).contains(new ByteRange(300, 700));
		assertThat(ByteRange.parse("bytes=0-", SIZE)).contains(new ByteRange(0, SIZE));
	}

	@Test
	void readsASuffixRangeAsTheLastBytes() {
		ByteRange range = ByteRange.parse("bytes=-100", SIZE).orElseThrow();
		assertThat(range).isEqualTo(new ByteRange(900, 100));
		assertThat(range.contentRange(SIZE)).isEqualTo("bytes 900-999/1000");
	}

	@Test
	void aSuffixLongerThanTheRepresentationIsAllOfIt() {
		assertThat(ByteRange.parse("bytes=-5000", SIZE)).contains(new ByteRange(0, SIZE));
	}

	@Test
	void toleratesSpaceAroundTheHeader() {
		assertThat(ByteRange.parse("  bytes=10-19 ", SIZE)).contains(new ByteRange(10, 10));
	}

	@ParameterizedTest
	@ValueSource(strings = { "bytes=1000-", "bytes=1000-1999", "bytes=5000-6000", "bytes=-0" })
	void refusesARangeOutsideTheRepresentation(String header) {
		assertThatExceptionOfType(ByteRange.UnsatisfiableRangeException.class)
			.isThrownBy(() -> ByteRange.parse(header, SIZE));
	}

	@Test
	void nothingOfAnEmptyRepresentationCanBeAskedFor() {
		assertThatExceptionOfType(ByteRange.UnsatisfiableRangeException.class)
			.isThrownBy(() -> ByteRange.parse("bytes=-10", 0));
		assertThatExceptionOfType(ByteRange.UnsatisfiableRangeException.class)
			.isThrownBy(() -> ByteRange.parse("bytes=0-", 0));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "bytes", "bytes=", "bytes=-", "bytes=a-b", "bytes=1-x", "bytes=+1-5", "bytes=1.5-3",
			"bytes=200-100", "bytes=0-9,20-29", "bytes=0-9, 20-29", "items=0-9", "bytes =0-9",
			"bytes=0 -9", "bytes=١-٢", "bytes=99999999999999999999-", "bytes=0-99999999999999999999" })
	void ignoresAMalformedOrMultipleRangeAndSendsTheWhole(String header) {
		assertThat(ByteRange.parse(header, SIZE)).isEmpty();
	}

	@Test
	void ifRangeOfTheCurrentVersionKeepsTheRange() {
		assertThat(ByteRange.parse("bytes=100-199", ETAG, ETAG, SIZE)).contains(new ByteRange(100, 100));
		assertThat(ByteRange.parse("bytes=100-199", " " + ETAG + " ", ETAG, SIZE)).contains(new ByteRange(100, 100));
	}

	@Test
	void withoutIfRangeTheRangeIsKept() {
		assertThat(ByteRange.parse("bytes=100-199", null, ETAG, SIZE)).contains(new ByteRange(100, 100));
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"0000000000000000000000000000000000000000000000000000000000000000\"",
			"5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9",
			"W/\"5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9\"", "Sat, 05 Dec 2026 10:00:00 GMT" })
	void ifRangeOfAnotherVersionSendsTheWhole(String ifRange) {
		assertThat(ByteRange.parse("bytes=100-199", ifRange, ETAG, SIZE)).isEmpty();
	}

	@Test
	void ifRangeOfAnotherVersionIsNotRefusedForARangeOutsideThisOne() {
		assertThat(ByteRange.parse("bytes=5000-", "\"other\"", ETAG, SIZE)).isEmpty();
	}

	@Test
	void ifRangeOfTheCurrentVersionStillRefusesARangeOutsideIt() {
		assertThatExceptionOfType(ByteRange.UnsatisfiableRangeException.class)
			.isThrownBy(() -> ByteRange.parse("bytes=5000-", ETAG, ETAG, SIZE));
	}

}
