package org.statemigration.smp.admin.web;

import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.media.DiscriminatorMapping;
import io.swagger.v3.oas.annotations.media.Schema;
import org.statemigration.smp.admin.Operator;
import org.statemigration.smp.admin.OperatorAccounts;
import org.statemigration.smp.admin.ProviderOperator;
import org.statemigration.smp.admin.ProviderSignIn;
import org.statemigration.smp.admin.Role;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/admins")
class OperatorController {

	/** The {@code source} of a local account, which has a password in smp. */
	static final String LOCAL = "LOCAL";

	/** The {@code source} of an operator who signed in with the OpenID provider. */
	static final String PROVIDER = "PROVIDER";

	private final OperatorAccounts accounts;

	private final ObjectProvider<ProviderSignIn> provider;

	OperatorController(OperatorAccounts accounts, ObjectProvider<ProviderSignIn> provider) {
		this.accounts = accounts;
		this.provider = provider;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	Operator create(@RequestBody NewOperator request) {
		return this.accounts.create(request.username(), request.password(), request.roles(), request.enabled());
	}

	/**
	 * The local accounts, then (with the OpenID provider enabled) the operators who signed in to the console with
	 * the provider, the latest first, each marked by its {@code source}. A provider's operator is a record of who
	 * signed in, not an account: no password, nothing to enable or disable, and roles that the provider gives.
	 */
	@GetMapping
	List<ListedOperator> list() {
		List<ListedOperator> listed = new ArrayList<>();
		for (Operator account : this.accounts.list()) {
			listed.add(new LocalAccount(account.username(), LOCAL, account.roles(), account.enabled(),
					account.passwordChangeRequired(), account.createdAt(), account.updatedAt()));
		}
		ProviderSignIn signIn = this.provider.getIfAvailable();
		if (signIn != null) {
			for (ProviderOperator operator : signIn.signedInOperators()) {
				listed.add(new ProviderAccount(operator.name(), PROVIDER, operator.subject(), operator.issuer(),
						operator.roles(), operator.lastSignInAt()));
			}
		}
		return listed;
	}

	/** A password given here is a reset (another operator's only): see {@link #resetPassword}. */
	@PatchMapping("/{username}")
	Operator update(@PathVariable String username, @RequestBody OperatorChanges changes, Principal caller) {
		if (changes.password() != null && username.equalsIgnoreCase(caller.getName())) {
			throw new ValidationException("Change your own password with your current one (POST /api/v1/me/password)");
		}
		return this.accounts.update(username, changes.password(), changes.roles(), changes.enabled());
	}

	/**
	 * Resets another operator's password to a temporary one (given, or generated and answered once), which the
	 * operator must change at the next sign-in.
	 */
	@PostMapping("/{username}/password-reset")
	ResponseEntity<PasswordReset> resetPassword(@PathVariable String username,
			@RequestBody(required = false) ResetRequest request, Principal caller) {
		String temporary = this.accounts.resetPassword(caller.getName(), username,
				(request != null) ? request.temporaryPassword() : null);
		String name = this.accounts.get(username).username();
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new PasswordReset(name, temporary));
	}

	/** An operator as the list shows them: a local account, or one who signed in with the OpenID provider. */
	@Schema(oneOf = { LocalAccount.class, ProviderAccount.class }, discriminatorProperty = "source",
			discriminatorMapping = { @DiscriminatorMapping(value = LOCAL, schema = LocalAccount.class),
					@DiscriminatorMapping(value = PROVIDER, schema = ProviderAccount.class) })
	sealed interface ListedOperator permits LocalAccount, ProviderAccount {

		String username();

		String source();

	}

	/** A local account ({@code source} {@value OperatorController#LOCAL}), as {@link Operator} shows it. */
	record LocalAccount(String username, String source, Set<Role> roles, boolean enabled,
			boolean passwordChangeRequired, Instant createdAt, Instant updatedAt) implements ListedOperator {
	}

	/**
	 * An operator who signed in with the OpenID provider ({@code source} {@value OperatorController#PROVIDER}):
	 * their subject and the provider's issuer, the roles of their last sign-in, and when that was.
	 */
	record ProviderAccount(String username, String source, String subject, String issuer, Set<Role> roles,
			Instant lastSignInAt) implements ListedOperator {
	}

	record NewOperator(String username, String password, Set<Role> roles, Boolean enabled) {
	}

	record OperatorChanges(String password, Set<Role> roles, Boolean enabled) {
	}

	record ResetRequest(String temporaryPassword) {
	}

	record PasswordReset(String username, String temporaryPassword) {
	}

}
