package org.statemigration.smp.store.blob.s3;

import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Makes the synchronous S3 client of a location, with the settings every S3-compatible server accepts: checksums
 * only where an operation requires them (Ceph refuses the aws-chunked trailers the SDK sends by default; each part
 * carries its own Content-MD5 or SHA-256 instead), a connection pool at least as large as the transfers the server
 * runs at once, so that no upload or restore waits for a connection, and short connection timeouts, so that an
 * unreachable server fails a request within seconds.
 */
public final class S3Clients {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration ACQUISITION_TIMEOUT = Duration.ofSeconds(30);

	/** Connections beyond the transfers: listings, health checks, small objects. */
	private static final int SPARE_CONNECTIONS = 16;

	private S3Clients() {
	}

	/**
	 * The client of a location.
	 * @param transfers the most uploads and restores the server runs at once; each holds at most one connection
	 */
	public static S3Client create(S3Location location, int transfers) {
		S3ClientBuilder builder = S3Client.builder()
			.httpClientBuilder(Apache5HttpClient.builder()
				.maxConnections(transfers + SPARE_CONNECTIONS)
				.connectionTimeout(CONNECT_TIMEOUT)
				.socketTimeout(SOCKET_TIMEOUT)
				.connectionAcquisitionTimeout(ACQUISITION_TIMEOUT))
			.region(Region.of(location.region()))
			.forcePathStyle(location.pathStyle())
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.credentialsProvider(credentials(location));
		if (location.endpoint() != null) {
			builder.endpointOverride(location.endpoint());
		}
		return builder.build();
	}

	private static AwsCredentialsProvider credentials(S3Location location) {
		if (location.accessKeyId() != null && location.secretAccessKey() != null) {
			return StaticCredentialsProvider
				.create(AwsBasicCredentials.create(location.accessKeyId(), location.secretAccessKey()));
		}
		return DefaultCredentialsProvider.builder().build();
	}

}
