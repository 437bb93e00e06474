package org.statemigration.smp.association;

import java.util.List;
import java.util.regex.Pattern;

import org.statemigration.smp.problem.ValidationException;

/**
 * The user accounts of an association: a mode and, unless everything is migrated, the accounts by name
 * ({@code DOMAIN\\user} or {@code user}).
 */
public record UserAccounts(UserAccountMode mode, List<String> accounts) {

	// a NetBIOS or DNS-style domain (or computer) name before the backslash
	private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

	// the characters Windows does not allow in a user name
	private static final String FORBIDDEN = "\"/\\[]:;|=,+*?<>@";

	private static final int MAX_USER_NAME_LENGTH = 104;

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
		for (int i = 0; i < this.accounts.size(); i++) {
			String problem = problemWith(this.accounts.get(i));
			if (problem != null) {
				// the name itself is not repeated: it may hold characters that do not belong in an answer or a log
				throw new ValidationException("userAccounts.accounts[" + i + "] is not a valid account name: " + problem);
			}
		}
		return this;
	}

	/** What is wrong with an account name, or null if it is one Windows accepts. */
	static String problemWith(String account) {
		if (account == null) {
			return "it is null";
		}
		int backslash = account.indexOf('\\');
		String user = account;
		if (backslash >= 0) {
			if (!DOMAIN.matcher(account.substring(0, backslash)).matches()) {
				return "the domain must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit";
			}
			user = account.substring(backslash + 1);
		}
		if (user.isEmpty() || user.length() > MAX_USER_NAME_LENGTH) {
			return "the user name must have 1 to " + MAX_USER_NAME_LENGTH + " characters";
		}
		for (int i = 0; i < user.length(); i++) {
			char c = user.charAt(i);
			if (FORBIDDEN.indexOf(c) >= 0) {
				return "a user name must not contain any of " + FORBIDDEN;
			}
			if (isControlOrSeparator(c)) {
				return "a user name must not contain control characters or line breaks";
			}
		}
		if (Character.isWhitespace(user.charAt(0)) || Character.isWhitespace(user.charAt(user.length() - 1))
				|| Character.isSpaceChar(user.charAt(0)) || Character.isSpaceChar(user.charAt(user.length() - 1))) {
			return "a user name must not start or end with a space";
		}
		if (user.chars().allMatch((c) -> c == '.' || c == ' ')) {
			return "a user name must not consist only of periods and spaces";
		}
		return null;
	}

	private static boolean isControlOrSeparator(char c) {
		int type = Character.getType(c);
		// C0 and C1 controls (NUL, BEL, CR, LF, DEL, ...), U+2028/U+2029, and invisible format characters such as
		// the bidirectional overrides that would make one name look like another
		return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
				|| type == Character.FORMAT;
	}

}
