package org.statemigration.smp.recovery.web;

import java.util.UUID;

import org.statemigration.smp.recovery.RecoveryInformation;
import org.statemigration.smp.recovery.RecoveryInformationRequest;
import org.statemigration.smp.recovery.RecoveryInformationViews;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class RecoveryInformationController {

	private final RecoveryInformationViews views;

	RecoveryInformationController(RecoveryInformationViews views) {
		this.views = views;
	}

	// POST, not GET: the reason travels in the body, and nothing on the way may cache the answer
	@PostMapping("/api/v1/associations/{id}/recovery-information")
	ResponseEntity<RecoveryInformation> view(@PathVariable UUID id, @RequestBody RecoveryInformationRequest request) {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(this.views.view(id, request));
	}

}
