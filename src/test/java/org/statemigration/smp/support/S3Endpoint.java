package org.statemigration.smp.support;

import java.net.URI;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 server that a test started for itself, with one user: where it answers, the credentials of that user, fresh
 * buckets, and a client with the settings every engine smp is tested against accepts (path-style addressing,
 * checksums only when an operation requires them).
 */
public interface S3Endpoint {

	/** The base URI of the S3 API, e.g. {@code http://127.0.0.1:20011}; buckets are addressed path-style under it. */
	URI endpoint();

	/** The region the requests are signed for. */
	String region();

	/** The access key id of the test user. */
	String accessKeyId();

	/** The secret access key of the test user (test credentials only). */
	String secretAccessKey();

	/**
	 * Creates a bucket that no other test uses.
	 * @param purpose a few words saying what the bucket is for; the name starts with them
	 * @return the name of the new, empty bucket
	 */
	String newBucket(String purpose);

	/** A client of the test user, for assertions on what the server holds; the endpoint owns and closes it. */
	S3Client client();

}
