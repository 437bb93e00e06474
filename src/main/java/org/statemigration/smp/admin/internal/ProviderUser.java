package org.statemigration.smp.admin.internal;

import java.util.Collection;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;

/**
 * An operator signed in with the OpenID provider: the provider's user, with the roles mapped from its claims and
 * the name smp knows it by ({@code oidc:} and the username claim). Kept in the console's session.
 */
final class ProviderUser extends DefaultOidcUser {

	private static final long serialVersionUID = 1L;

	private final String name;

	ProviderUser(String name, Collection<? extends GrantedAuthority> authorities, OidcIdToken idToken,
			OidcUserInfo userInfo) {
		super(authorities, idToken, userInfo, "sub");
		this.name = name;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public boolean equals(Object other) {
		return super.equals(other) && this.name.equals(((ProviderUser) other).name);
	}

	@Override
	public int hashCode() {
		return super.hashCode() * 31 + this.name.hashCode();
	}

}
