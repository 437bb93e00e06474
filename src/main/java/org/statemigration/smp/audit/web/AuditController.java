package org.statemigration.smp.audit.web;

import java.time.Instant;

import org.statemigration.smp.audit.AuditFilter;
import org.statemigration.smp.audit.AuditPage;
import org.statemigration.smp.audit.AuditTrail;
import org.statemigration.smp.audit.AuditVerification;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

	private final AuditTrail trail;

	AuditController(AuditTrail trail) {
		this.trail = trail;
	}

	@GetMapping
	AuditPage search(@RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
			@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
		return this.trail.search(new AuditFilter(from, to, actor, action), page, size);
	}

	@GetMapping("/verify")
	AuditVerification verify() {
		return this.trail.verify();
	}

}
