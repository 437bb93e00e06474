package org.statemigration.smp.managementpoint.web;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range of a {@code Range} header (RFC 9110 14.1). Several ranges are not served: the whole
 * representation is sent instead, as the RFC allows.
 */
record ByteRange(long start, long length) {

	private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

	/**
	 * The range a request asks for with {@code Range}, on the condition of {@code If-Range} (RFC 9110 13.1.5): a
	 * client that names a version other than the current one ({@code etag}, quoted) gets the whole representation,
	 * since the part it has belongs to that other version.
	 * @return empty to send the whole representation
	 * @throws UnsatisfiableRangeException if the range lies outside the representation
	 */
	static Optional<ByteRange> parse(String range, String ifRange, String etag, long size) {
		if (ifRange != null && !ifRange.strip().equals(etag)) {
			return Optional.empty();
		}
		return parse(range, size);
	}

	/**
	 * @return empty to send the whole representation
	 * @throws UnsatisfiableRangeException if the range lies outside the representation
	 */
	static Optional<ByteRange> parse(String header, long size) {
		if (header == null) {
			return Optional.empty();
		}
		Matcher matcher = SINGLE.matcher(header.strip());
		if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
			return Optional.empty();
		}
		try {
			if (matcher.group(1).isEmpty()) {
				long suffix = Long.parseLong(matcher.group(2));
				if (suffix == 0 || size == 0) {
					throw new UnsatisfiableRangeException();
				}
				long length = Math.min(suffix, size);
				return Optional.of(new ByteRange(size - length, length));
			}
			long first = Long.parseLong(matcher.group(1));
			long last = matcher.group(2).isEmpty() ? size - 1 : Long.parseLong(matcher.group(2));
			if (!matcher.group(2).isEmpty() && last < first) {
				return Optional.empty();
			}
			if (first >= size) {
				throw new UnsatisfiableRangeException();
			}
			return Optional.of(new ByteRange(first, Math.min(last, size - 1) - first + 1));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

	String contentRange(long size) {
		return "bytes " + this.start + "-" + (this.start + this.length - 1) + "/" + size;
	}

	static final class UnsatisfiableRangeException extends RuntimeException {

		UnsatisfiableRangeException() {
			super("Range not satisfiable", null, false, false);
		}

	}

}
