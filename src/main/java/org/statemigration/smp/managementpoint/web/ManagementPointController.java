package org.statemigration.smp.managementpoint.web;

import java.util.List;

import org.statemigration.smp.managementpoint.ComputerStatus;
import org.statemigration.smp.managementpoint.ComputerStatuses;
import org.statemigration.smp.managementpoint.ManagementPoint;
import org.statemigration.smp.managementpoint.ManagementPointToken;
import org.statemigration.smp.managementpoint.Operation;
import org.statemigration.smp.managementpoint.ReleaseResult;
import org.statemigration.smp.managementpoint.StateStoreGrant;
import org.statemigration.smp.pki.EnrolledComputer;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/api/v1/mp")
class ManagementPointController {

	private final ManagementPoint managementPoint;

	private final ComputerStatuses statuses;

	ManagementPointController(ManagementPoint managementPoint, ComputerStatuses statuses) {
		this.managementPoint = managementPoint;
		this.statuses = statuses;
	}

	/**
	 * The calling computer's own associations; mutual TLS only, no token. What the computer says of itself
	 * (optional) is checked against the certificate's computer.
	 */
	@GetMapping("/status")
	ComputerStatus status(@AuthenticationPrincipal EnrolledComputer computer,
			@RequestParam(required = false) String computerName, @RequestParam(required = false) String smbiosGuid,
			@RequestParam(required = false) List<String> macAddress) {
		return this.statuses.of(computer, computerName, smbiosGuid, macAddress);
	}

	@PostMapping("/request-state-store")
	StateStoreGrant request(@AuthenticationPrincipal EnrolledComputer computer, @RequestBody StoreRequest request) {
		if (request.operation() == null) {
			throw new ValidationException("operation must be CAPTURE or RESTORE");
		}
		String storeUrlBase = ServletUriComponentsBuilder.fromCurrentContextPath()
			.path("/api/v1/stores/")
			.toUriString();
		return this.managementPoint.request(computer, request.operation(), storeUrlBase);
	}

	/** Releases whatever the token is for; the body is checked ({@link ReleaseBodyCheck}) before the token. */
	@PostMapping("/release-state-store")
	ReleaseResult release(@AuthenticationPrincipal EnrolledComputer computer, @RequestBody Release release,
			@Granted ManagementPointToken token) {
		return this.managementPoint.release(computer, token, release.success(), release.message());
	}

	record StoreRequest(Operation operation) {
	}

	record Release(Boolean success, String message) {

		/** @throws ValidationException unless the release says whether it succeeded, with a message of bounded size */
		void check() {
			if (this.success == null) {
				throw new ValidationException("success is required");
			}
			if (this.message != null && this.message.length() > 2000) {
				throw new ValidationException("message must be at most 2000 characters");
			}
		}

	}

}
