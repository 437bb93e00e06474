package org.statemigration.smp.admin.internal;

import org.statemigration.smp.admin.Operator;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/**
 * Looks operators up for HTTP Basic and the console's sign-in form.
 */
@Component
class OperatorUserDetailsService implements UserDetailsService {

	private final OperatorRepository operators;

	OperatorUserDetailsService(OperatorRepository operators) {
		this.operators = operators;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		Operator operator = this.operators.find(username)
			.orElseThrow(() -> new UsernameNotFoundException("Bad credentials"));
		String hash = this.operators.passwordHash(username).orElseThrow();
		return User.withUsername(operator.username())
			.password(hash)
			.disabled(!operator.enabled())
			.authorities(operator.roles().stream().map((r) -> new SimpleGrantedAuthority(r.authority())).toList())
			.build();
	}

}
