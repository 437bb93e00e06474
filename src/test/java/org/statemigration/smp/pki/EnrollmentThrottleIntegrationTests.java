package org.statemigration.smp.pki;

import java.nio.file.Path;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed enrollments from one address make it wait, even with a right code, until the window has passed. Every
 * test client connects from 127.0.0.1, so this runs against a server of its own with small limits (3 failures,
 * a 4-second window) rather than the shared test servers, whose other enrollments it would otherwise refuse. Runs
 * on H2 and on PostgreSQL.
 */
@ServerProcessTest
@OnBothDatabases
class EnrollmentThrottleIntegrationTests {

	private static final String WRONG_CODE = "AAAAA-BBBBB-CCCCC-DDDDD";

	@TempDir
	Path temp;

	/** The server's database, new for each test. */
	private ProcessDatabase database;

	@BeforeEach
	void openTheDatabase() {
		this.database = ProcessDatabase.ofTheRun("smp_enrollment_throttle");
	}

	@AfterEach
	void closeTheDatabase() throws SQLException {
		this.database.close();
	}

	@Test
	void failedEnrollmentsFromOneAddressAreRateLimitedUntilTheWindowPasses() throws Exception {
		try (ServerProcess process = ServerProcess.start(this.temp.resolve("data"), "256m",
				this.database.arguments(), true, "--smp.enrollment.max-failures=3", "--smp.enrollment.failure-window=PT4S")) {
			TestServer server = process.client();
			OperatorClient admin = server.admin();
			admin.createAssociation("THROTTLED-OLD", "THROTTLED-NEW", "CAPTURE_ALL_RESTORE_ALL");
			String code = admin.enrollmentCode("THROTTLED-OLD");
			ComputerClient computer = server.computer("THROTTLED-OLD");
			for (int attempt = 0; attempt < 3; attempt++) {
				Response failed = server.computer("GUESSER").enroll(WRONG_CODE);
				assertThat(failed.status()).isEqualTo(401);
				assertThat(failed.problem()).isEqualTo("enrollment-code-invalid");
			}

			Response limited = computer.enroll(code);

			assertThat(limited.status()).isEqualTo(429);
			assertThat(limited.problem()).isEqualTo("rate-limited");
			assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
			long retryAfter = Long.parseLong(limited.header("Retry-After"));
			assertThat(retryAfter).isBetween(1L, 4L);
			assertThat(server.computer("GUESSER").enroll(WRONG_CODE).status()).isEqualTo(429);

			Thread.sleep(retryAfter * 1000 + 500);
			assertThat(computer.enroll(code).status()).isEqualTo(201);
			assertThat(computer.requestStateStore("CAPTURE").status()).isEqualTo(200);
		}
	}

}
