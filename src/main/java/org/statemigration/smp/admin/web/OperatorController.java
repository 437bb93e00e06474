package org.statemigration.smp.admin.web;

import java.security.Principal;
import java.util.List;
import java.util.Set;

import org.statemigration.smp.admin.Operator;
import org.statemigration.smp.admin.OperatorAccounts;
import org.statemigration.smp.admin.Role;
import org.statemigration.smp.problem.ValidationException;

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

	private final OperatorAccounts accounts;

	OperatorController(OperatorAccounts accounts) {
		this.accounts = accounts;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	Operator create(@RequestBody NewOperator request) {
		return this.accounts.create(request.username(), request.password(), request.roles(), request.enabled());
	}

	@GetMapping
	List<Operator> list() {
		return this.accounts.list();
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

	record NewOperator(String username, String password, Set<Role> roles, Boolean enabled) {
	}

	record OperatorChanges(String password, Set<Role> roles, Boolean enabled) {
	}

	record ResetRequest(String temporaryPassword) {
	}

	record PasswordReset(String username, String temporaryPassword) {
	}

}
