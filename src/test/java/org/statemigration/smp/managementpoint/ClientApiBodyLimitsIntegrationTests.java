package org.statemigration.smp.managementpoint;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.RawHttps;
import org.statemigration.smp.support.RawHttps.Answer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the client API does with bodies it will not read: the anonymous enrollment and every other JSON endpoint
 * refuse a body over {@code smp.http.max-json-body} with 413 {@code request-too-large} (before reading it, or as
 * soon as a chunked body passes the limit) and a body of no single readable media type with 415
 * {@code unsupported-media-type}; uploads take any media type. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class ClientApiBodyLimitsIntegrationTests extends ManagementPointTestSupport {

	private static final int LIMIT = 64 * 1024;

	private static final List<String> UNREADABLE_TYPES = List.of("*/*", "application/*", "application/*+json",
			"not a type", "text/plain", "application/x-www-form-urlencoded");

	@Test
	void anonymousEnrollmentOverTheLimitIsTooLargeBeforeTheBodyIsRead() throws Exception {
		Answer answer = raw().exchange(bytes("POST /api/v1/enrollment HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + (50L << 20) + "\r\nExpect: 100-continue\r\n\r\n"),
				10_000);

		assertThat(answer.status()).as(answer.body()).isEqualTo(413);
		assertThat(answer.isProblem()).isTrue();
		assertThat(answer.body()).contains("urn:smp:problem:request-too-large");
		assertThat(answer.interim()).doesNotContain(100);
	}

	@Test
	void chunkedAnonymousEnrollmentIsCutOffAtTheLimit() throws Exception {
		AtomicLong sent = new AtomicLong();
		Answer answer = raw().stream("POST /api/v1/enrollment HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", RawHttps.endlessJson(16L << 20),
				true, sent, 10_000);

		assertThat(answer.status()).as(answer.body()).isEqualTo(413);
		assertThat(answer.body()).contains("urn:smp:problem:request-too-large");
		assertThat(sent.get()).isLessThan(16L << 20);
	}

	@Test
	void enrollmentInAnUnreadableMediaTypeIsUnsupported() throws Exception {
		for (String type : UNREADABLE_TYPES) {
			Answer answer = raw().exchange(bytes("POST /api/v1/enrollment HTTP/1.1\r\nHost: localhost\r\n"
					+ "Connection: close\r\nContent-Type: " + type + "\r\nContent-Length: 2\r\n\r\n{}"), 10_000);
			assertThat(answer.status()).as("%s: %s", type, answer.body()).isEqualTo(415);
			assertThat(answer.body()).contains("urn:smp:problem:unsupported-media-type");
		}
	}

	@Test
	void authenticatedJsonEndpointsRefuseUnreadableMediaTypesAndLargeBodies() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		for (String path : List.of("/api/v1/mp/request-state-store", "/api/v1/mp/release-state-store",
				"/api/v1/enrollment/renewal")) {
			for (String type : UNREADABLE_TYPES) {
				HttpResponse<String> response = pair.source()
					.exchange(HttpRequest.newBuilder(this.server.uri(path))
						.header("Content-Type", type)
						.POST(HttpRequest.BodyPublishers.ofString("{}"))
						.build());
				assertThat(response.statusCode()).as("%s with %s: %s", path, type, response.body()).isEqualTo(415);
				assertThat(response.body()).contains("urn:smp:problem:unsupported-media-type");
			}
			String large = "{\"operation\":\"CAPTURE\"}" + " ".repeat(LIMIT);
			HttpResponse<String> response = pair.source()
				.exchange(HttpRequest.newBuilder(this.server.uri(path))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(large))
					.build());
			assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(413);
			assertThat(response.body()).contains("urn:smp:problem:request-too-large");
		}
	}

	@Test
	void uploadDeclaredAsAFormIsStoredAsItIs() throws Exception {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		byte[] data = "a=1&b=2&c=3".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
		HttpResponse<String> response = pair.source()
			.exchange(HttpRequest.newBuilder(URI.create(capture.storeUrl()))
				.header("Authorization", "Bearer " + capture.token())
				.header("Content-Type", "application/x-www-form-urlencoded")
				.PUT(HttpRequest.BodyPublishers.ofByteArray(data))
				.build());

		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		assertThat(response.body()).contains(sha256Hex(data));
	}

	@Test
	void concurrentCapturesOfOneAssociationNeverFailWithAnInternalError() throws Exception {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		List<Grant> grants = java.util.stream.IntStream.range(0, 8).mapToObj((i) -> pair.source().request("CAPTURE")).toList();
		List<Integer> statuses = grants.parallelStream()
			.map((grant) -> pair.source().upload(grant.storeUrl(), grant.token(), randomBytes(100_000), null))
			.map((response) -> {
				if (response.status() >= 400) {
					assertThat(response.header("Content-Type")).startsWith("application/problem+json");
				}
				if (response.status() == 503) {
					assertThat(response.problem()).isEqualTo("capture-in-progress");
					assertThat(response.header("Retry-After")).isNotNull();
				}
				return response.status();
			})
			.toList();
		assertThat(statuses).doesNotContain(500).contains(201);
	}

	private RawHttps raw() {
		return new RawHttps(this.server);
	}

	private static byte[] bytes(String request) {
		return request.getBytes(StandardCharsets.US_ASCII);
	}

}
