package org.statemigration.smp.admin.web;

import java.security.Principal;

import org.statemigration.smp.admin.OperatorAccounts;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The signed-in operator's own password, for every operator, whatever the roles: the only request an operator
 * whose password was reset may make. Acts on the caller alone: there is no name to give.
 */
@RestController
class OwnPasswordController {

	private final OperatorAccounts accounts;

	OwnPasswordController(OperatorAccounts accounts) {
		this.accounts = accounts;
	}

	@PostMapping("/api/v1/me/password")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void change(@RequestBody PasswordChange change, Principal caller) {
		this.accounts.changeOwnPassword(caller.getName(), change.currentPassword(), change.newPassword());
	}

	record PasswordChange(String currentPassword, String newPassword) {
	}

}
