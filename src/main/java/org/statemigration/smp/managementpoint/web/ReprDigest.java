package org.statemigration.smp.managementpoint.web;

import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.statemigration.smp.problem.ValidationException;

/**
 * A {@code Repr-Digest} request header (RFC 9530): a structured-field dictionary (RFC 8941) of algorithm keys and
 * byte-sequence digests, such as {@code sha-256=:<base64>:, sha-512=:<base64>:}. This server checks
 * {@code sha-256} and {@code sha-512}. A header that carries only other algorithms (md5, sha, unknown ones) is
 * refused rather than ignored: the client asked for a check this server cannot make, and accepting the body
 * unchecked would tell it that the check passed.
 * @param sha256 the expected SHA-256, or null
 * @param sha512 the expected SHA-512, or null
 */
record ReprDigest(byte[] sha256, byte[] sha512) {

	static final String HEADER = "Repr-Digest";

	// sf-key (upper case tolerated, as before), then "=" and a byte sequence, then optional parameters (which carry
	// nothing for digests)
	private static final Pattern MEMBER = Pattern
		.compile("([A-Za-z*][A-Za-z0-9_.*-]{0,63})=:([A-Za-z0-9+/]*={0,2}):((?:;[a-z*][a-z0-9_.*-]*(?:=[^;,]*)?)*)");

	private static final Map<String, Integer> SUPPORTED = Map.of("sha-256", 32, "sha-512", 64);

	private static final int MAX_HEADER_LENGTH = 4096;

	/**
	 * @return the digests to check, or null without the header
	 * @throws ValidationException if the header is malformed, names an algorithm twice, or carries no algorithm
	 * this server checks
	 */
	static ReprDigest parse(String header) {
		if (header == null) {
			return null;
		}
		if (header.length() > MAX_HEADER_LENGTH) {
			throw malformed("is too long");
		}
		Map<String, byte[]> digests = new LinkedHashMap<>();
		for (String member : header.split(",", -1)) {
			Matcher matcher = MEMBER.matcher(member.strip());
			if (!matcher.matches()) {
				throw malformed("must be a list of <algorithm>=:<base64 digest>:");
			}
			String algorithm = matcher.group(1).toLowerCase(Locale.ROOT);
			if (digests.containsKey(algorithm)) {
				throw malformed("names " + algorithm + " twice");
			}
			byte[] digest;
			try {
				digest = Base64.getDecoder().decode(matcher.group(2));
			}
			catch (IllegalArgumentException ex) {
				throw malformed("holds a digest that is not base64");
			}
			Integer length = SUPPORTED.get(algorithm);
			if (length != null && digest.length != length) {
				throw malformed("holds a " + algorithm + " digest that is not " + length + " bytes long");
			}
			digests.put(algorithm, digest);
		}
		ReprDigest expected = new ReprDigest(digests.get("sha-256"), digests.get("sha-512"));
		if (expected.sha256() == null && expected.sha512() == null) {
			throw new ValidationException("Repr-Digest carries no algorithm this server checks; send sha-256 "
					+ "(or sha-512)");
		}
		return expected;
	}

	static String format(String sha256Hex) {
		return "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex)) + ":";
	}

	private static ValidationException malformed(String problem) {
		return new ValidationException("Repr-Digest " + problem);
	}

}
