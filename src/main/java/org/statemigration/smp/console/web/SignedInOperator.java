package org.statemigration.smp.console.web;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import org.statemigration.smp.admin.ProviderSignIn;
import org.statemigration.smp.admin.Role;

import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Who is signed in and what their roles let them do, with ADMIN implying every other role exactly as the server's
 * rules do. Pages use it to offer only what the operator may do; the security rules refuse the rest anyway.
 * @param username the operator's name, or null on the sign-in page
 */
public record SignedInOperator(String username, boolean admin, boolean osdManager, boolean recoveryViewer,
		boolean auditor) {

	static final SignedInOperator NOBODY = new SignedInOperator(null, false, false, false, false);

	static SignedInOperator of(Authentication authentication, RoleHierarchy hierarchy) {
		if (authentication == null || !authentication.isAuthenticated()) {
			return NOBODY;
		}
		Collection<? extends GrantedAuthority> reachable = hierarchy
			.getReachableGrantedAuthorities(authentication.getAuthorities());
		Set<String> authorities = reachable.stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
		return new SignedInOperator(authentication.getName(), authorities.contains(Role.ADMIN.authority()),
				authorities.contains(Role.OSD_MANAGER.authority()),
				authorities.contains(Role.RECOVERY_VIEWER.authority()), authorities.contains(Role.AUDITOR.authority()));
	}

	public boolean signedIn() {
		return this.username != null;
	}

	/** Whether the operator signed in with a local account (which has a password), not with the OpenID provider. */
	public boolean localAccount() {
		return signedIn() && !this.username.startsWith(ProviderSignIn.NAME_PREFIX);
	}

}
