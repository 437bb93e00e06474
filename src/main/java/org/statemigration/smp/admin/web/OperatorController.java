package org.statemigration.smp.admin.web;

import java.util.List;
import java.util.Set;

import org.statemigration.smp.admin.Operator;
import org.statemigration.smp.admin.OperatorAccounts;
import org.statemigration.smp.admin.Role;

import org.springframework.http.HttpStatus;
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

	@PatchMapping("/{username}")
	Operator update(@PathVariable String username, @RequestBody OperatorChanges changes) {
		return this.accounts.update(username, changes.password(), changes.roles(), changes.enabled());
	}

	record NewOperator(String username, String password, Set<Role> roles, Boolean enabled) {
	}

	record OperatorChanges(String password, Set<Role> roles, Boolean enabled) {
	}

}
