package org.statemigration.smp.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestClock;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator sign-in lockout with the defaults (5 failures, 15 minutes): a locked username is refused like a wrong
 * password, an unknown username gets the very same answers, and the lock lifts after its time. Each test uses
 * operators of its own, so the shared server's other users are not disturbed.
 */
@IntegrationTest
@OnBothDatabases
class SignInLockoutIntegrationTests extends AdminApiTestSupport {

	private static final int MAX_FAILURES = 5;

	private static final String ANY_READ = "/api/v1/settings";

	@Autowired
	TestClock clock;

	@AfterEach
	void resetClock() {
		this.clock.reset();
	}

	@Test
	void repeatedFailuresLockTheAccountUntilTheLockoutPasses() {
		OperatorClient operator = this.admin.createOperator(operatorName("locked"), "AUDITOR");
		assertThat(operator.get(ANY_READ).status()).isEqualTo(200);
		failSignIn(operator.username(), MAX_FAILURES);

		Response locked = operator.get(ANY_READ);

		assertProblem(locked, 401, "unauthorized");
		assertThat(locked.body()).isEqualTo(wrongPassword(operator.username()).body());
		assertThat(locked.header("WWW-Authenticate")).isEqualTo("Basic realm=\"smp\"");
		this.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
		assertThat(operator.get(ANY_READ).status()).isEqualTo(200);
	}

	@Test
	void theLockoutIsRecordedOnceInTheAuditLog() {
		OperatorClient operator = this.admin.createOperator(operatorName("recorded"), "AUDITOR");
		failSignIn(operator.username(), MAX_FAILURES - 1);
		assertThat(lockouts(operator.username())).isEmpty();

		failSignIn(operator.username(), 3);

		List<JsonNode> lockouts = lockouts(operator.username());
		assertThat(lockouts).hasSize(1);
		assertThat(lockouts.get(0).path("outcome").asString()).isEqualTo("DENIED");
		assertThat(lockouts.get(0).path("actor").asString()).isEqualTo("anonymous");
		assertThat(lockouts.get(0).path("detail").asString()).contains("PT15M");
	}

	@Test
	void fewerFailuresThanTheLimitDoNotLock() {
		OperatorClient operator = this.admin.createOperator(operatorName("careless"), "AUDITOR");
		failSignIn(operator.username(), MAX_FAILURES - 1);
		assertThat(operator.get(ANY_READ).status()).isEqualTo(200);
	}

	@Test
	void successfulSignInStartsTheCountAfresh() {
		OperatorClient operator = this.admin.createOperator(operatorName("forgetful"), "AUDITOR");
		failSignIn(operator.username(), MAX_FAILURES - 1);
		assertThat(operator.get(ANY_READ).status()).isEqualTo(200);
		failSignIn(operator.username(), MAX_FAILURES - 1);
		assertThat(operator.get(ANY_READ).status()).isEqualTo(200);
	}

	@Test
	void usernameIsLockedWhateverItsCase() {
		OperatorClient operator = this.admin.createOperator(operatorName("cased"), "AUDITOR");
		failSignIn(operator.username().toUpperCase(Locale.ROOT), MAX_FAILURES);
		assertThat(operator.get(ANY_READ).status()).isEqualTo(401);
	}

	@Test
	void unknownUsernameGetsTheSameAnswersAsALockedAccount() {
		OperatorClient operator = this.admin.createOperator(operatorName("known"), "AUDITOR");
		String unknown = operatorName("unknown");
		for (int attempt = 0; attempt <= MAX_FAILURES; attempt++) {
			Response known = wrongPassword(operator.username());
			Response stranger = wrongPassword(unknown);
			assertProblem(known, 401, "unauthorized");
			assertThat(stranger.status()).isEqualTo(known.status());
			assertThat(stranger.body()).isEqualTo(known.body());
			assertThat(stranger.header("WWW-Authenticate")).isEqualTo(known.header("WWW-Authenticate"));
		}
	}

	@Test
	void lockingOneOperatorLeavesOthersAlone() {
		OperatorClient locked = this.admin.createOperator(operatorName("victim"), "AUDITOR");
		OperatorClient other = this.admin.createOperator(operatorName("bystander"), "AUDITOR");
		failSignIn(locked.username(), MAX_FAILURES);
		assertThat(locked.get(ANY_READ).status()).isEqualTo(401);
		assertThat(other.get(ANY_READ).status()).isEqualTo(200);
		assertThat(this.admin.get(ANY_READ).status()).isEqualTo(200);
	}

	private List<JsonNode> lockouts(String username) {
		JsonNode items = this.admin.get("/api/v1/audit?action=sign-in.lockout&size=500").json().path("items");
		List<JsonNode> matching = new ArrayList<>();
		items.forEach((event) -> {
			if (event.path("target").asString().equals(username)) {
				matching.add(event);
			}
		});
		return matching;
	}

	private void failSignIn(String username, int times) {
		for (int attempt = 0; attempt < times; attempt++) {
			assertThat(wrongPassword(username).status()).isEqualTo(401);
		}
	}

	private Response wrongPassword(String username) {
		return this.server.operator(username, "wrong-password-0123456789").get(ANY_READ);
	}

	private static String operatorName(String what) {
		return unique("op-" + what).toLowerCase(Locale.ROOT);
	}

}
