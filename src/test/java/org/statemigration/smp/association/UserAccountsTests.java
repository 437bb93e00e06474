package org.statemigration.smp.association;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.statemigration.smp.problem.ValidationException;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The account names Windows accepts, and those it does not.
 */
class UserAccountsTests {

	@ParameterizedTest
	@ValueSource(strings = { "user", "CONTOSO\\user", "contoso.example\\jane.doe", "PC-01\\Administrator",
			"CONTOSO\\Jöns Ångström", "CONTOSO\\user name", "CONTOSO\\o'brien", "CONTOSO\\用户", "a.b", "x$" })
	void acceptsWindowsAccountNames(String account) {
		assertThatNoException().isThrownBy(() -> accounts(account).validated());
	}

	@ParameterizedTest
	@ValueSource(strings = { "CONTOSO\\user\u0000", "CONTOSO\\us\u0007er", "CONTOSO\\user\nCONTOSO\\admin",
			"user\r", "user\t1", "user\u007f", "user\u0085", "user\u2028", "user\u202e", "user\u200b",
			"CONTOSO\\bad/user", "CONTOSO\\a\\b", "user@contoso.example", "a:b", "a;b", "a|b", "a=b", "a,b", "a+b",
			"a*b", "a?b", "a<b", "a>b", "a\"b", "a[b", "a]b", "", "CONTOSO\\", "\\user", ".\\user", " user",
			"user ", "CONTOSO\\...", "CONTOSO\\. .", "CON TOSO\\user" })
	void refusesNamesWindowsDoesNotAllow(String account) {
		assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> accounts(account).validated())
			.withMessageStartingWith("userAccounts.accounts[0] is not a valid account name");
	}

	@ParameterizedTest
	@ValueSource(ints = { 104, 105 })
	void userNamesHaveAtMost104Characters(int length) {
		UserAccounts accounts = accounts("CONTOSO\\" + "u".repeat(length));
		if (length <= 104) {
			assertThatNoException().isThrownBy(accounts::validated);
		}
		else {
			assertThatExceptionOfType(ValidationException.class).isThrownBy(accounts::validated);
		}
	}

	private static UserAccounts accounts(String account) {
		return new UserAccounts(UserAccountMode.CAPTURE_SPECIFIED_RESTORE_SPECIFIED, List.of(account));
	}

}
