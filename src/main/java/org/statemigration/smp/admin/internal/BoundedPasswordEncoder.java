package org.statemigration.smp.admin.internal;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.statemigration.smp.problem.ServerBusyException;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Bounds how many passwords are hashed at once. Each Argon2id hash takes 16 MiB of memory and tens of milliseconds
 * of a core, and every HTTP Basic request hashes one (a request for an unknown user too, so that its timing gives
 * nothing away): without a bound, a few hundred concurrent requests with made-up credentials would exhaust the
 * heap. Beyond the bound, requests wait their turn for a while, then are told to come back (503
 * {@code server-busy}).
 */
final class BoundedPasswordEncoder implements PasswordEncoder {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private final PasswordEncoder delegate;

	private final Semaphore hashing;

	private final Duration wait;

	BoundedPasswordEncoder(PasswordEncoder delegate, int concurrent, Duration wait) {
		this.delegate = delegate;
		this.hashing = new Semaphore(concurrent, true);
		this.wait = wait;
	}

	@Override
	public String encode(CharSequence rawPassword) {
		acquire();
		try {
			return this.delegate.encode(rawPassword);
		}
		finally {
			this.hashing.release();
		}
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		acquire();
		try {
			return this.delegate.matches(rawPassword, encodedPassword);
		}
		finally {
			this.hashing.release();
		}
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		return this.delegate.upgradeEncoding(encodedPassword);
	}

	private void acquire() {
		try {
			if (!this.hashing.tryAcquire(this.wait.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new ServerBusyException("Too many sign-ins at once; try again later", RETRY_AFTER);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ServerBusyException("Interrupted while waiting to check a password", RETRY_AFTER);
		}
	}

}
