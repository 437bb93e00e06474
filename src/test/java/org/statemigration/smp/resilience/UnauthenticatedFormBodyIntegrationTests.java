package org.statemigration.smp.resilience;

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
import org.statemigration.smp.support.SeededStream;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body declared as a form, 300 MB, from a caller with neither certificate nor token, against a server with a
 * 256 MB heap: refused from its headers, without the body being read or parsed (no {@code 100 Continue}, only
 * what the socket buffers took), and the server stays healthy with no OutOfMemoryError in its log.
 */
@ServerProcessTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnauthenticatedFormBodyIntegrationTests {

	private static final long BODY = 300L << 20;

	// what the kernel's socket buffers and Tomcat's swallow of a refused body may take in, far below the body
	private static final long READ_AT_MOST = 32L << 20;

	private static final String FORM = "application/x-www-form-urlencoded";

	@TempDir
	static Path temp;

	private ServerProcess process;

	private TestServer server;

	@BeforeAll
	void start() throws Exception {
		this.process = ServerProcess.start(temp.resolve("data"), "256m");
		this.server = this.process.client();
	}

	@AfterAll
	void stop() throws Exception {
		this.process.close();
	}

	@Test
	void formBodiesWithoutCredentialsAreRefusedUnread() throws Exception {
		String store = "/api/v1/stores/00000000-0000-0000-0000-000000000001";
		String upload = "/api/v1/uploads/00000000-0000-0000-0000-000000000001";
		for (String request : List.of("PUT " + store, "PATCH " + upload, "DELETE " + upload, "POST /api/v1/uploads")) {
			for (boolean chunked : List.of(false, true)) {
				AtomicLong sent = new AtomicLong();
				String length = chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + BODY + "\r\n";
				Answer answer = new RawHttps(this.server).stream(request + " HTTP/1.1\r\nHost: localhost\r\n"
						+ "Tus-Resumable: 1.0.0\r\nContent-Type: " + FORM + "\r\n" + length + "\r\n",
						new SeededStream(BODY, 1), chunked, sent, 30_000);

				assertThat(answer.status()).as("%s chunked=%s: %s", request, chunked, answer.body()).isEqualTo(401);
				assertThat(answer.isProblem()).isTrue();
				assertThat(answer.interim()).doesNotContain(100);
				assertThat(sent.get()).as("%s chunked=%s", request, chunked).isLessThan(READ_AT_MOST);
			}
		}
		assertHealthy();
	}

	@Test
	void formBodyWaitingForContinueIsRefusedWithoutContinue() throws Exception {
		Answer answer = new RawHttps(this.server).exchange(("PUT /api/v1/stores/00000000-0000-0000-0000-000000000002"
				+ " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + FORM + "\r\nContent-Length: " + BODY
				+ "\r\nExpect: 100-continue\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII), 10_000);

		assertThat(answer.status()).isEqualTo(401);
		assertThat(answer.interim()).isEmpty();
		assertHealthy();
	}

	@Test
	void formPostToTheApiIsNotParsedEither() throws Exception {
		AtomicLong sent = new AtomicLong();
		Answer answer = new RawHttps(this.server).stream("POST /api/v1/mp/request-state-store HTTP/1.1\r\n"
				+ "Host: localhost\r\nContent-Type: " + FORM + "\r\nTransfer-Encoding: chunked\r\n\r\n",
				new SeededStream(BODY, 2), true, sent, 30_000);

		assertThat(answer.status()).isIn(401, 413, 415);
		assertThat(answer.isProblem()).isTrue();
		assertThat(sent.get()).isLessThan(READ_AT_MOST);
		assertHealthy();
	}

	private void assertHealthy() throws Exception {
		assertThat(this.server.anonymous().get("/actuator/health").status()).isEqualTo(200);
		assertThat(ServerLog.stackTraces(this.process.log())).isEmpty();
	}

}
