package org.statemigration.smp.audit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The bytes an event's hash or MAC is computed over: the previous hash and every field, each as a presence
 * byte, a 4-byte big-endian length and its UTF-8 bytes, so that no two different events encode alike.
 */
final class ChainEncoding {

	private ChainEncoding() {
	}

	static byte[] encode(String previous, long seq, Instant at, String actor, String action, String target,
			String outcome, String detail, String remoteAddress) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		for (String field : new String[] { previous, Long.toString(seq), at.toString(), actor, action, target, outcome,
				detail, remoteAddress }) {
			byte[] bytes = (field != null) ? field.getBytes(StandardCharsets.UTF_8) : new byte[0];
			out.write((field != null) ? 1 : 0);
			out.write(bytes.length >>> 24);
			out.write(bytes.length >>> 16);
			out.write(bytes.length >>> 8);
			out.write(bytes.length);
			out.writeBytes(bytes);
		}
		return out.toByteArray();
	}

}
