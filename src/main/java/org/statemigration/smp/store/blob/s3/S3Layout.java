package org.statemigration.smp.store.blob.s3;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.StoredObject.Kind;

/**
 * Where an S3 location keeps each object, under its prefix: {@code <prefix>/<associationId>/<storeId>.smp} for a
 * blob (a multipart upload under that key while it is written, the object once completed) and
 * {@code <prefix>/<associationId>/<storeId>-<name>} for a small object. Only keys named so are the location's:
 * anything else under the prefix is left alone.
 */
final class S3Layout {

	private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

	private static final Pattern OBJECT = Pattern
		.compile("(" + UUID_PATTERN + ")/(" + UUID_PATTERN + ")(?:(\\.smp)|-([0-9A-Za-z._-]+))");

	private final String prefix;

	S3Layout(String prefix) {
		this.prefix = prefix.isEmpty() ? "" : prefix + "/";
	}

	/** The prefix of every key of the location: empty, or ending with a slash. */
	String root() {
		return this.prefix;
	}

	String blob(BlobKey key) {
		return version(key) + ".smp";
	}

	String small(BlobKey key, String name) {
		return version(key) + "-" + name;
	}

	/** The prefix of every key of the version. */
	String version(BlobKey key) {
		return this.prefix + key.associationId() + "/" + key.storeId();
	}

	/** What a key of the location names, or null if it is none of the location's. */
	Named parse(String key) {
		if (!key.startsWith(this.prefix)) {
			return null;
		}
		Matcher name = OBJECT.matcher(key.substring(this.prefix.length()));
		if (!name.matches()) {
			return null;
		}
		BlobKey blobKey = new BlobKey(UUID.fromString(name.group(1)), UUID.fromString(name.group(2)));
		return (name.group(3) != null) ? new Named(blobKey, Kind.BLOB, null) : new Named(blobKey, Kind.SMALL, name.group(4));
	}

	record Named(BlobKey key, Kind kind, String name) {
	}

}
