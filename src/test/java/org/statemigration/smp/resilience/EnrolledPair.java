package org.statemigration.smp.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/** A source and a destination computer, enrolled, with the association between them. */
record EnrolledPair(String associationId, ComputerClient source, ComputerClient destination) {

	static EnrolledPair enroll(TestServer server, String name) {
		OperatorClient admin = server.admin();
		String id = admin.createAssociation(name + "-OLD", name + "-NEW", "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient source = server.computer(name + "-OLD");
		ComputerClient destination = server.computer(name + "-NEW");
		assertThat(source.enroll(admin.enrollmentCode(name + "-OLD")).status()).isEqualTo(201);
		assertThat(destination.enroll(admin.enrollmentCode(name + "-NEW")).status()).isEqualTo(201);
		return new EnrolledPair(id, source, destination);
	}

	/** Waits, polling, until the condition holds; fails once the time is up. */
	static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (!condition.getAsBoolean()) {
			assertThat(Instant.now()).as("%s within %s", what, timeout).isBefore(deadline);
			Thread.sleep(250);
		}
	}

}
