package org.statemigration.smp.admin.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.problem.ServerBusyException;

import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BoundedPasswordEncoderTests {

	private final CountDownLatch hashing = new CountDownLatch(1);

	private final CountDownLatch release = new CountDownLatch(1);

	/** Holds every check until released, as a slow hash would. */
	private final PasswordEncoder slow = new PasswordEncoder() {

		@Override
		public String encode(CharSequence rawPassword) {
			return rawPassword.toString();
		}

		@Override
		public boolean matches(CharSequence rawPassword, String encodedPassword) {
			BoundedPasswordEncoderTests.this.hashing.countDown();
			try {
				BoundedPasswordEncoderTests.this.release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return rawPassword.toString().equals(encodedPassword);
		}

	};

	@Test
	void checksBeyondTheBoundWaitTheirTurnThenAreToldToComeBack() throws Exception {
		BoundedPasswordEncoder encoder = new BoundedPasswordEncoder(this.slow, 1, Duration.ofMillis(200));
		Thread first = new Thread(() -> encoder.matches("secret", "secret"));
		first.start();
		assertThat(this.hashing.await(5, TimeUnit.SECONDS)).isTrue();
		assertThatExceptionOfType(ServerBusyException.class).isThrownBy(() -> encoder.matches("other", "secret"));
		this.release.countDown();
		first.join(5000);
		assertThat(encoder.matches("secret", "secret")).isTrue();
		assertThat(encoder.matches("wrong", "secret")).isFalse();
	}

}
