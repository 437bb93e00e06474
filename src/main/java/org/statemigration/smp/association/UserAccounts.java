package org.statemigration.smp.association;

import java.util.List;
import java.util.regex.Pattern;

import org.statemigration.smp.problem.ValidationException;

/**
 * The user accounts of an association: a mode and, unless everything is migrated, the accounts by name
 * ({@code DOMAIN\\user} or {@code user}).
 */
public record UserAccounts(UserAccountMode mode, List<String> accounts) {

	// optional NetBIOS domain, then a user name without the characters Windows forbids in one
	private static final Pattern ACCOUNT = Pattern
		.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,62}\\\\)?[^\"/\\\\\\[\\]:;|=,+*?<>@\\s][^\"/\\\\\\[\\]:;|=,+*?<>@]{0,103}");

	private static final int MAX_ACCOUNTS = 1000;

	public UserAccounts {
		mode = (mode != null) ? mode : UserAccountMode.CAPTURE_SPECIFIED_RESTORE_SPECIFIED;
		accounts = (accounts != null) ? List.copyOf(accounts) : List.of();
	}

	/** Checks the rules of the contract: accounts are required unless the mode migrates everything. */
	public UserAccounts validated() {
		if (this.mode.requiresAccounts() && this.accounts.isEmpty()) {
			throw new ValidationException("userAccounts.accounts is required for mode " + this.mode);
		}
		if (this.accounts.size() > MAX_ACCOUNTS) {
			throw new ValidationException("userAccounts.accounts holds more than " + MAX_ACCOUNTS + " accounts");
		}
		for (String account : this.accounts) {
			if (account == null || !ACCOUNT.matcher(account).matches()) {
				throw new ValidationException("userAccounts.accounts has an invalid account name");
			}
		}
		return this;
	}

}
