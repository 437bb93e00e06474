package org.statemigration.smp.admin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.RawHttps;
import org.statemigration.smp.support.RawHttps.Answer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the operator API does with bodies it will not read: larger than {@code smp.http.max-json-body} (413
 * {@code request-too-large}, from Content-Length before anything is read, and while reading a chunked body), or
 * of no single media type it reads (415 {@code unsupported-media-type}). Every JSON endpoint, every time a
 * problem document. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class OperatorApiBodyLimitsIntegrationTests extends AdminApiTestSupport {

	private static final int LIMIT = 64 * 1024;

	/** Every operator endpoint that reads a JSON body, with a path that exists (or may not: the body comes first). */
	static List<String> jsonEndpoints() {
		return List.of("POST /api/v1/associations", "POST /api/v1/admins", "PATCH /api/v1/admins/nobody",
				"PATCH /api/v1/settings", "POST /api/v1/certificates/ffff/block",
				"PUT /api/v1/associations/00000000-0000-0000-0000-000000000000/legal-hold",
				"POST /api/v1/associations/00000000-0000-0000-0000-000000000000/recovery-information",
				"POST /api/v1/associations/00000000-0000-0000-0000-000000000000/reassign");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jsonEndpoints")
	void declaredBodyOverTheLimitIsTooLargeBeforeAuthenticationOrReading(String endpoint) throws Exception {
		// no credentials, and Expect: 100-continue: the answer must come before the server asks for the body
		Answer answer = raw().exchange(bytes(head(endpoint, null, "application/json",
				"Content-Length: " + (LIMIT + 1) + "\r\nExpect: 100-continue\r\n")), 10_000);

		assertThat(answer.status()).as(answer.body()).isEqualTo(413);
		assertThat(answer.isProblem()).isTrue();
		assertThat(answer.body()).contains("urn:smp:problem:request-too-large");
		assertThat(answer.interim()).doesNotContain(100);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jsonEndpoints")
	void wildcardOrUnparsableContentTypesAreUnsupportedMediaTypes(String endpoint) throws Exception {
		for (String type : List.of("*/*", "application/*", "application/*+json", "not a type", "application/xml",
				"application/x-www-form-urlencoded")) {
			Answer answer = raw().exchange(bytes(head(endpoint, adminCredentials(), type, "Content-Length: 2\r\n") + "{}"),
					10_000);
			assertThat(answer.status()).as("%s with %s: %s", endpoint, type, answer.body()).isEqualTo(415);
			assertThat(answer.isProblem()).isTrue();
			assertThat(answer.body()).contains("urn:smp:problem:unsupported-media-type");
		}
	}

	@Test
	void chunkedBodyIsCutOffAtTheLimit() throws Exception {
		for (String endpoint : List.of("POST /api/v1/associations", "PATCH /api/v1/settings")) {
			AtomicLong sent = new AtomicLong();
			Answer answer = raw().stream(head(endpoint, adminCredentials(), "application/json",
					"Transfer-Encoding: chunked\r\n"), RawHttps.endlessJson(8L << 20), true, sent, 10_000);
			assertThat(answer.status()).as(answer.body()).isEqualTo(413);
			assertThat(answer.body()).contains("urn:smp:problem:request-too-large");
		}
		assertThat(this.admin.get("/api/v1/settings").status()).isEqualTo(200);
	}

	@Test
	void bodyAtTheLimitIsRead() throws Exception {
		// a valid JSON body padded with blanks to exactly the limit: read, and refused only for its content
		String json = "{\"enabled\":true}";
		String body = json + " ".repeat(LIMIT - json.length());
		Answer answer = raw().exchange(bytes(head("PATCH /api/v1/admins/nobody-" + this.port, adminCredentials(),
				"application/json", "Content-Length: " + LIMIT + "\r\n") + body), 10_000);
		assertThat(answer.status()).as(answer.body()).isEqualTo(404);
	}

	@Test
	void errorPathAnswersAProblem() throws Exception {
		Answer answer = raw().exchange(bytes(head("GET /error", null, null, "")), 10_000);
		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.isProblem()).isTrue();
	}

	private static byte[] bytes(String request) {
		return request.getBytes(StandardCharsets.US_ASCII);
	}

	private RawHttps raw() {
		return new RawHttps(this.server);
	}

	private String adminCredentials() {
		return "Basic " + Base64.getEncoder()
			.encodeToString(("admin:" + this.server.adminPassword()).getBytes(StandardCharsets.UTF_8));
	}

	private static String head(String endpoint, String authorization, String contentType, String more) {
		StringBuilder head = new StringBuilder(endpoint).append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
		if (authorization != null) {
			head.append("Authorization: ").append(authorization).append("\r\n");
		}
		if (contentType != null) {
			head.append("Content-Type: ").append(contentType).append("\r\n");
		}
		return head.append(more).append("\r\n").toString();
	}

}
