package org.statemigration.smp.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session that holds the head of the audit chain (as {@code BEGIN; SELECT * FROM audit_head FOR UPDATE;} left
 * open in psql would) must not stall the server: audited actions fail fast with 503 {@code audit-unavailable},
 * and reads, sign-ins and health answer as usual. The lock is held through a real second connection while the
 * server answers real HTTPS requests.
 */
@IntegrationTest
@OnBothDatabases
class HeldAuditHeadIntegrationTests extends AdminApiTestSupport {

	private static final int AUDITED_AT_ONCE = 12;

	@Autowired
	DataSource dataSource;

	@Test
	void whileAnotherSessionHoldsTheHeadAuditedActionsFailFastAndTheRestAnswers() throws Exception {
		OperatorClient newcomer = this.admin.createOperator(unique("newcomer"), "OSD_MANAGER");
		// deletions of different associations: audited, fail-closed, and contending for no other row
		List<String> associations = new ArrayList<>();
		for (int i = 0; i < AUDITED_AT_ONCE; i++) {
			associations.add(this.admin.createAssociation(unique("HELD-SRC"), unique("HELD-DST"), "CAPTURE_ALL_RESTORE_ALL"));
		}
		ExecutorService callers = Executors.newFixedThreadPool(AUDITED_AT_ONCE);
		try (Connection holder = this.dataSource.getConnection()) {
			holder.setAutoCommit(false);
			try (Statement statement = holder.createStatement();
					ResultSet head = statement.executeQuery("SELECT * FROM audit_head WHERE id = 1 FOR UPDATE")) {
				assertThat(head.next()).isTrue();
			}
			try {
				List<Future<Timed>> answers = new ArrayList<>();
				for (String id : associations) {
					answers.add(callers.submit(() -> timed(() -> this.admin.delete("/api/v1/associations/" + id))));
				}
				for (Future<Timed> answer : answers) {
					Timed timed = answer.get(30, TimeUnit.SECONDS);
					assertProblem(timed.response(), 503, "audit-unavailable");
					// two rounds of the 2 s lock timeout at most, as the pool has fewer connections than callers
					assertThat(timed.took()).isLessThan(Duration.ofSeconds(10));
				}

				Timed read = timed(() -> this.admin.get("/api/v1/associations"));
				assertThat(read.response().status()).isEqualTo(200);
				assertThat(read.took()).as("a read waits on nothing").isLessThan(Duration.ofSeconds(2));
				assertThat(this.admin.get("/api/v1/audit?size=1").status()).isEqualTo(200);

				// a first sign-in is recorded: its record cannot be written, the sign-in still succeeds
				Timed signIn = timed(() -> newcomer.get("/api/v1/associations"));
				assertThat(signIn.response().status()).isEqualTo(200);
				assertThat(signIn.took()).isLessThan(Duration.ofSeconds(6));
				assertProblem(this.server.operator(newcomer.username(), "not-the-password-123")
					.get("/api/v1/associations"), 401, "unauthorized");

				// a held head is a busy audit log, not a broken one
				assertThat(this.admin.get("/actuator/health").json().path("components").path("audit").path("status")
					.asString()).isEqualTo("UP");
				Response health = this.server.anonymous().get("/actuator/health");
				assertThat(health.status()).isEqualTo(200);
				assertThat(health.json().path("status").asString()).isEqualTo("UP");
			}
			finally {
				holder.rollback();
			}
		}
		finally {
			callers.shutdownNow();
		}
		for (String id : associations) {
			assertThat(this.admin.get("/api/v1/associations/" + id).status()).isEqualTo(200);
		}
		assertThat(this.admin.delete("/api/v1/associations/" + associations.get(0)).status()).isEqualTo(204);
		assertThat(this.admin.get("/api/v1/audit/verify").json().path("valid").asBoolean()).isTrue();
	}

	private static Timed timed(Supplier<Response> call) {
		long start = System.nanoTime();
		Response response = call.get();
		return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
	}

	private record Timed(Response response, Duration took) {
	}

}
