package org.statemigration.smp.managementpoint.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;
import org.statemigration.smp.problem.ValidationException;
import org.statemigration.smp.store.UploadChecksum;

/** The request and response headers of the tus 1.0.0 protocol, parsed and formatted. */
final class TusHeaders {

	static final String VERSION = "1.0.0";

	static final String TUS_RESUMABLE = "Tus-Resumable";

	static final String TUS_VERSION = "Tus-Version";

	static final String UPLOAD_LENGTH = "Upload-Length";

	static final String UPLOAD_OFFSET = "Upload-Offset";

	static final String UPLOAD_METADATA = "Upload-Metadata";

	static final String UPLOAD_EXPIRES = "Upload-Expires";

	static final String UPLOAD_CHECKSUM = "Upload-Checksum";

	static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";

	private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
		.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

	private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

	private TusHeaders() {
	}

	/** @throws UnsupportedVersionException unless the client speaks tus 1.0.0 */
	static void checkResumable(String value) {
		if (value == null || !VERSION.equals(value.strip())) {
			throw new UnsupportedVersionException();
		}
	}

	/** @throws UnsupportedMediaTypeException unless the body is {@code application/offset+octet-stream} */
	static void checkContentType(String value) {
		if (value == null || !value.strip().toLowerCase(Locale.ROOT).startsWith(OFFSET_OCTET_STREAM)) {
			throw new UnsupportedMediaTypeException();
		}
	}

	/**
	 * A non-negative byte count written as plain decimal digits, as tus and RFC 9110 define it: no sign, no
	 * spaces inside, no other digits than 0-9 (Java's parser would take {@code +10} and non-ASCII digits).
	 */
	static long size(String value, String header) {
		if (value == null) {
			throw new ValidationException(header + " is required");
		}
		String digits = value.strip();
		if (DIGITS.matcher(digits).matches()) {
			try {
				return Long.parseLong(digits);
			}
			catch (NumberFormatException ex) {
				// too large for a long: answered below
			}
		}
		throw new ValidationException(header + " must be a non-negative integer of plain digits");
	}

	/**
	 * The whole blob's SHA-256 (hex) from {@code Upload-Metadata}, or null if it has none. The value of the key
	 * {@code sha256} is, once base64-decoded as tus prescribes, the 32 bytes of the digest; clients whose tus
	 * library only takes text may instead put the digest there as hex or base64 text.
	 */
	static String sha256(String metadata) {
		if (metadata == null || metadata.isBlank()) {
			return null;
		}
		for (String pair : metadata.split(",")) {
			String[] parts = pair.strip().split(" ", 2);
			if (!parts[0].equals("sha256")) {
				continue;
			}
			byte[] value = (parts.length == 2) ? base64(parts[1].strip(), UPLOAD_METADATA) : new byte[0];
			if (value.length == 32) {
				return HexFormat.of().formatHex(value);
			}
			String text = new String(value, StandardCharsets.US_ASCII).strip();
			if (text.matches("[0-9a-fA-F]{64}")) {
				return text.toLowerCase(Locale.ROOT);
			}
			try {
				byte[] decoded = Base64.getDecoder().decode(text);
				if (decoded.length == 32) {
					return HexFormat.of().formatHex(decoded);
				}
			}
			catch (IllegalArgumentException ex) {
				// refused below
			}
			throw new ValidationException("The sha256 of Upload-Metadata is not a SHA-256 digest");
		}
		return null;
	}

	/** {@code Upload-Checksum: <algorithm> <base64 digest>}, or null without the header. */
	static UploadChecksum checksum(String value) {
		if (value == null) {
			return null;
		}
		String[] parts = value.strip().split(" ", 2);
		if (parts.length != 2) {
			throw new ValidationException("Upload-Checksum must be '<algorithm> <base64 digest>'");
		}
		String algorithm = switch (parts[0].toLowerCase(Locale.ROOT)) {
			case "sha1" -> "SHA-1";
			case "sha256" -> "SHA-256";
			// tus answers 400 for an algorithm the server does not support: the chunk is not taken unchecked
			default -> throw new ValidationException("Upload-Checksum algorithm must be sha1 or sha256");
		};
		byte[] digest = base64(parts[1].strip(), UPLOAD_CHECKSUM);
		int length = algorithm.equals("SHA-1") ? 20 : 32;
		if (digest.length != length) {
			throw new ValidationException("Upload-Checksum holds a " + parts[0] + " digest that is not " + length
					+ " bytes long");
		}
		return new UploadChecksum(algorithm, digest);
	}

	/**
	 * An RFC 9110 date (IMF-fixdate), as {@code Upload-Expires} wants it. The JDK's RFC 1123 formatter would write
	 * the first nine days of a month with one digit, which IMF-fixdate does not allow.
	 */
	static String httpDate(Instant instant) {
		return HTTP_DATE.format(instant.atOffset(ZoneOffset.UTC));
	}

	private static byte[] base64(String value, String header) {
		try {
			return Base64.getDecoder().decode(value);
		}
		catch (IllegalArgumentException ex) {
			throw new ValidationException(header + " holds a value that is not base64");
		}
	}

	static final class UnsupportedVersionException extends ProblemException {

		UnsupportedVersionException() {
			super(ProblemType.UNSUPPORTED_TUS_VERSION,
					"This server speaks tus " + VERSION + "; send Tus-Resumable: " + VERSION);
		}

	}

	static final class UnsupportedMediaTypeException extends ProblemException {

		UnsupportedMediaTypeException() {
			super(ProblemType.UNSUPPORTED_MEDIA_TYPE, "A chunk's Content-Type must be " + OFFSET_OCTET_STREAM);
		}

	}

}
