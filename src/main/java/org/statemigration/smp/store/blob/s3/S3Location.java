package org.statemigration.smp.store.blob.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * An S3 storage location: a bucket, a prefix in it under which every object of the location lies, a capacity
 * budget, and how to reach the bucket. Its {@link #toString} never shows the secret key.
 * @param location the location as the database records it: {@code s3://bucket/prefix}, without a trailing slash
 * @param prefix the key prefix, without leading or trailing slash; empty for the bucket's root
 * @param capacityBytes the bytes the server may store there
 * @param endpoint the endpoint of an S3-compatible server, or null for AWS
 * @param accessKeyId with {@code secretAccessKey}, the credentials; null for the SDK's default chain
 * @param partSegments the sealed segments in each part of a blob
 */
public record S3Location(String location, String bucket, String prefix, long capacityBytes, URI endpoint,
		String region, boolean pathStyle, PartChecksum partChecksum, String accessKeyId, String secretAccessKey,
		int partSegments) {

	private static final String SCHEME = "s3://";

	/** Bucket names as S3 allows them (lower case letters, digits, dots and hyphens, 3 to 63). */
	private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

	/** Whether the configured location names an S3 bucket rather than a folder. */
	public static boolean isS3(String location) {
		return location.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
	}

	/**
	 * The bucket and prefix of {@code s3://bucket/prefix}.
	 * @throws IllegalArgumentException with what is wrong with it
	 */
	public static String[] parse(String location) {
		URI uri;
		try {
			uri = new URI(location.strip());
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("Storage location " + location + " is not a valid s3://bucket/prefix URI: "
					+ ex.getReason());
		}
		if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || uri.getQuery() != null
				|| uri.getFragment() != null || uri.getUserInfo() != null || uri.getPort() != -1) {
			throw new IllegalArgumentException(
					"Storage location " + location + " is not of the form s3://bucket/prefix");
		}
		String bucket = uri.getHost();
		if (!BUCKET.matcher(bucket).matches()) {
			throw new IllegalArgumentException("Storage location " + location + " names an invalid bucket: " + bucket);
		}
		String prefix = (uri.getPath() != null) ? uri.getPath().replaceAll("^/+|/+$", "") : "";
		if (prefix.contains("//")) {
			throw new IllegalArgumentException("Storage location " + location + " has an empty path segment");
		}
		return new String[] { bucket, prefix };
	}

	/** The location as recorded: {@code s3://bucket} or {@code s3://bucket/prefix}. */
	public static String normalize(String bucket, String prefix) {
		return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
	}

	@Override
	public String toString() {
		return this.location + " (endpoint " + ((this.endpoint != null) ? this.endpoint : "AWS") + ", region "
				+ this.region + ")";
	}

}
