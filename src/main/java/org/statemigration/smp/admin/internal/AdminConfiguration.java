package org.statemigration.smp.admin.internal;

import java.time.Clock;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.Map;

@Configuration(proxyBeanMethods = false)
class AdminConfiguration {

	/** Memory of one Argon2id hash with the parameters below. */
	private static final long MEMORY_PER_HASH = 16L * 1024 * 1024;

	/**
	 * Argon2id (OWASP's first choice) for new hashes; the {@code {id}} prefix leaves room to change the
	 * parameters later and still verify old hashes. At most one hash at once per two cores (at least one), so that
	 * a flood of made-up credentials leaves cores for everything else, and never more than a sixteenth of the heap
	 * holds.
	 */
	@Bean
	PasswordEncoder passwordEncoder() {
		String id = "argon2@SpringSecurity_v5_8";
		PasswordEncoder argon2 = new DelegatingPasswordEncoder(id,
				Map.of(id, Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
		int cores = Runtime.getRuntime().availableProcessors();
		long fitting = Runtime.getRuntime().maxMemory() / 16 / MEMORY_PER_HASH;
		return new BoundedPasswordEncoder(argon2, (int) Math.max(1, Math.min(cores / 2, fitting)),
				Duration.ofSeconds(10));
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
