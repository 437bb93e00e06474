package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AttemptsTests {

	private final StringWriter said = new StringWriter();

	private final Output output = new Output(new PrintWriter(this.said, true), new PrintWriter(this.said, true), false);

	@Test
	void aBusyServerIsWaitedForWithoutUsingUpTries() {
		Attempts attempts = new Attempts(1, Duration.ZERO, this.output);
		AtomicInteger calls = new AtomicInteger();
		long start = System.nanoTime();
		String result = attempts.run("Asking", () -> {
			if (calls.incrementAndGet() <= 2) {
				throw new ServerBusy("The server is busy: try again later (503 server-busy)", Duration.ofSeconds(1));
			}
			return "done";
		});
		assertThat(result).isEqualTo("done");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("it waited as the server asked")
			.isGreaterThanOrEqualTo(Duration.ofSeconds(2));
		assertThat(this.said.toString()).contains("The server is busy", "trying again in 1 s");
	}

	@Test
	void otherFailuresUseUpTries() {
		Attempts attempts = new Attempts(2, Duration.ZERO, this.output);
		AtomicInteger calls = new AtomicInteger();
		assertThatExceptionOfType(ClientFailure.class).isThrownBy(() -> attempts.run("Asking", () -> {
			calls.incrementAndGet();
			throw new IOException("connection reset");
		}));
		assertThat(calls).hasValue(2);
	}

}
