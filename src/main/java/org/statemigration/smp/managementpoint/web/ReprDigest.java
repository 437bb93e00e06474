package org.statemigration.smp.managementpoint.web;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

import org.statemigration.smp.problem.ValidationException;

/** The {@code sha-256} member of a {@code Repr-Digest} header (RFC 9530). */
final class ReprDigest {

	static final String HEADER = "Repr-Digest";

	private ReprDigest() {
	}

	/**
	 * @return the 32-byte digest, or null if the header is absent or names no sha-256
	 * @throws ValidationException if its sha-256 member is malformed
	 */
	static byte[] sha256(String header) {
		if (header == null) {
			return null;
		}
		for (String member : header.split(",")) {
			int equals = member.indexOf('=');
			if (equals < 0 || !member.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("sha-256")) {
				continue;
			}
			String value = member.substring(equals + 1).strip();
			if (value.length() < 2 || value.charAt(0) != ':' || value.charAt(value.length() - 1) != ':') {
				throw malformed();
			}
			try {
				byte[] digest = Base64.getDecoder().decode(value.substring(1, value.length() - 1));
				if (digest.length != 32) {
					throw malformed();
				}
				return digest;
			}
			catch (IllegalArgumentException ex) {
				throw malformed();
			}
		}
		return null;
	}

	static String format(String sha256Hex) {
		return "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex)) + ":";
	}

	private static ValidationException malformed() {
		return new ValidationException("Repr-Digest must be sha-256=:<base64 of 32 bytes>:");
	}

}
