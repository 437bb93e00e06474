package org.statemigration.smp.admin;

import java.time.Instant;
import java.util.Set;

/**
 * An operator who signed in to the console with the OpenID provider, as the operators list shows them.
 * @param name the name smp knows them by ({@code oidc:...})
 * @param subject their subject ({@code sub}) at the provider
 * @param issuer the provider's issuer
 * @param roles the roles that the provider's claims gave at the last sign-in
 * @param lastSignInAt when they last signed in
 */
public record ProviderOperator(String name, String subject, String issuer, Set<Role> roles, Instant lastSignInAt) {
}
