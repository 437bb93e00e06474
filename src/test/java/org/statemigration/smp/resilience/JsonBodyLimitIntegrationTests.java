package org.statemigration.smp.resilience;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.RawHttps;
import org.statemigration.smp.support.RawHttps.Answer;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 50 MB of JSON to the anonymous enrollment (and to operator endpoints, without credentials) against a server
 * with a 192 MB heap: 413 {@code request-too-large}, from the Content-Length before anything is read, or as soon
 * as a chunked body passes {@code smp.http.max-json-body}; the rest is never drained, and the server stays
 * healthy with no OutOfMemoryError in its log.
 */
@ServerProcessTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonBodyLimitIntegrationTests {

	private static final long BODY = 50L << 20;

	private static final long READ_AT_MOST = 16L << 20;

	@TempDir
	static Path temp;

	private ServerProcess process;

	private TestServer server;

	@BeforeAll
	void start() throws Exception {
		this.process = ServerProcess.start(temp.resolve("data"), "192m");
		this.server = this.process.client();
	}

	@AfterAll
	void stop() throws Exception {
		this.process.close();
	}

	@Test
	void largeJsonBodiesAreRefusedWithoutReadingThemWhole() throws Exception {
		for (String request : List.of("POST /api/v1/enrollment", "POST /api/v1/associations", "PATCH /api/v1/settings",
				"POST /api/v1/mp/request-state-store")) {
			for (boolean chunked : List.of(false, true)) {
				AtomicLong sent = new AtomicLong();
				String length = chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + BODY + "\r\n";
				Answer answer = new RawHttps(this.server).stream(request + " HTTP/1.1\r\nHost: localhost\r\n"
						+ "Content-Type: application/json\r\n" + length + "\r\n", RawHttps.endlessJson(BODY), chunked,
						sent, 30_000);

				String what = request + (chunked ? " chunked" : " with Content-Length");
				if (chunked && !request.contains("enrollment")) {
					// authentication comes first where it needs no body: refused unread as well
					assertThat(answer.status()).as("%s: %s", what, answer.body()).isIn(401, 413);
				}
				else {
					assertThat(answer.status()).as("%s: %s", what, answer.body()).isEqualTo(413);
					assertThat(answer.body()).contains("urn:smp:problem:request-too-large");
				}
				assertThat(answer.isProblem()).isTrue();
				assertThat(sent.get()).as(what).isLessThan(READ_AT_MOST);
			}
		}
		assertHealthy();
	}

	@Test
	void declaredLengthIsRefusedBeforeContinue() throws Exception {
		Answer answer = new RawHttps(this.server).exchange(("POST /api/v1/enrollment HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + BODY + "\r\nExpect: 100-continue\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII), 10_000);

		assertThat(answer.status()).isEqualTo(413);
		assertThat(answer.interim()).isEmpty();
		assertHealthy();
	}

	@Test
	void manyLargeBodiesAtOnceLeaveTheServerHealthy() throws Exception {
		List<Answer> answers = java.util.stream.IntStream.range(0, 8).parallel().mapToObj((i) -> {
			try {
				return new RawHttps(this.server).stream("POST /api/v1/enrollment HTTP/1.1\r\nHost: localhost\r\n"
						+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", RawHttps.endlessJson(BODY),
						true, new AtomicLong(), 30_000);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}).toList();

		assertThat(answers).extracting(Answer::status).containsOnly(413);
		assertHealthy();
	}

	private void assertHealthy() throws Exception {
		assertThat(this.server.anonymous().get("/actuator/health").status()).isEqualTo(200);
		assertThat(ServerLog.stackTraces(this.process.log())).isEmpty();
	}

}
