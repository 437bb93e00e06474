package org.statemigration.smp.association.web;

import java.security.Principal;
import java.util.UUID;

import org.statemigration.smp.association.ComputerAssociation;
import org.statemigration.smp.association.LegalHoldChange;
import org.statemigration.smp.association.LegalHolds;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class LegalHoldController {

	private final LegalHolds legalHolds;

	LegalHoldController(LegalHolds legalHolds) {
		this.legalHolds = legalHolds;
	}

	@PutMapping("/api/v1/associations/{id}/legal-hold")
	ComputerAssociation change(@PathVariable UUID id, @RequestBody LegalHoldChange change, Principal operator) {
		return this.legalHolds.change(id, change, operator.getName());
	}

}
