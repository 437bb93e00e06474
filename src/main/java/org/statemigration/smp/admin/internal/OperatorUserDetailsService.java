package org.statemigration.smp.admin.internal;

import java.util.List;

import org.statemigration.smp.admin.Operator;
import org.statemigration.smp.admin.OperatorAccounts;
import org.statemigration.smp.admin.OidcProperties;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/**
 * Looks operators up for HTTP Basic and the console's sign-in form. A locked username is reported as unknown:
 * Spring Security then checks the password against a dummy hash and answers "bad credentials", the same answer
 * after the same work as a wrong password or a username that does not exist. An operator whose password was reset
 * gets no role, only {@link OperatorAccounts#PASSWORD_CHANGE_AUTHORITY}, until the password is changed.
 */
@Component
class OperatorUserDetailsService implements UserDetailsService {

	private final OperatorRepository operators;

	private final SignInLockout lockout;

	private final OidcProperties oidc;

	OperatorUserDetailsService(OperatorRepository operators, SignInLockout lockout, OidcProperties oidc) {
		this.operators = operators;
		this.lockout = lockout;
		this.oidc = oidc;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		// looked up before the lock is checked, so that a locked name costs what any other name costs
		Operator operator = this.operators.find(username)
			.filter((found) -> !this.lockout.isLocked(username))
			.filter((found) -> this.oidc.localSignInAllowed(found.username()))
			.orElseThrow(() -> new UsernameNotFoundException("Bad credentials"));
		String hash = this.operators.passwordHash(username).orElseThrow();
		List<SimpleGrantedAuthority> authorities = operator.passwordChangeRequired()
				? List.of(new SimpleGrantedAuthority(OperatorAccounts.PASSWORD_CHANGE_AUTHORITY))
				: operator.roles().stream().map((r) -> new SimpleGrantedAuthority(r.authority())).toList();
		return User.withUsername(operator.username())
			.password(hash)
			.disabled(!operator.enabled())
			.authorities(authorities)
			.build();
	}

}
