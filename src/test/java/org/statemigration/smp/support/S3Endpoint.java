package org.statemigration.smp.support;

import java.net.URI;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 server the tests started: where it listens, the credentials of its one account, a fresh bucket per use,
 * and a client for the tests' own assertions (what objects and unfinished uploads a bucket holds).
 */
public interface S3Endpoint {

	URI endpoint();

	String region();

	String accessKeyId();

	String secretAccessKey();

	/** Creates a new, empty bucket, named after its purpose and unique in the run. */
	String newBucket(String purpose);

	/** A client of the server with the account's credentials, path-style. */
	S3Client client();

}
