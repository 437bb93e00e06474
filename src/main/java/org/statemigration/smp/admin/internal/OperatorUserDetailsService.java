package org.statemigration.smp.admin.internal;

import org.statemigration.smp.admin.Operator;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/**
 * Looks operators up for HTTP Basic and the console's sign-in form. A locked username is reported as unknown:
 * Spring Security then checks the password against a dummy hash and answers "bad credentials", the same answer
 * after the same work as a wrong password or a username that does not exist.
 */
@Component
class OperatorUserDetailsService implements UserDetailsService {

	private final OperatorRepository operators;

	private final SignInLockout lockout;

	OperatorUserDetailsService(OperatorRepository operators, SignInLockout lockout) {
		this.operators = operators;
		this.lockout = lockout;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		// looked up before the lock is checked, so that a locked name costs what any other name costs
		Operator operator = this.operators.find(username)
			.filter((found) -> !this.lockout.isLocked(username))
			.orElseThrow(() -> new UsernameNotFoundException("Bad credentials"));
		String hash = this.operators.passwordHash(username).orElseThrow();
		return User.withUsername(operator.username())
			.password(hash)
			.disabled(!operator.enabled())
			.authorities(operator.roles().stream().map((r) -> new SimpleGrantedAuthority(r.authority())).toList())
			.build();
	}

}
