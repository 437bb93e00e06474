package org.statemigration.smp.admin.internal;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.Map;

@Configuration(proxyBeanMethods = false)
class AdminConfiguration {

	/**
	 * Argon2id (OWASP's first choice) for new hashes; the {@code {id}} prefix leaves room to change the
	 * parameters later and still verify old hashes.
	 */
	@Bean
	PasswordEncoder passwordEncoder() {
		String id = "argon2@SpringSecurity_v5_8";
		return new DelegatingPasswordEncoder(id, Map.of(id, Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
