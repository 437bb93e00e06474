package org.statemigration.smp.recovery.web;

import java.util.UUID;

import org.statemigration.smp.association.ComputerAssociation;
import org.statemigration.smp.recovery.ReassignmentRequest;
import org.statemigration.smp.recovery.Reassignments;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ReassignmentController {

	private final Reassignments reassignments;

	ReassignmentController(Reassignments reassignments) {
		this.reassignments = reassignments;
	}

	@PostMapping("/api/v1/associations/{id}/reassign")
	ComputerAssociation reassign(@PathVariable UUID id, @RequestBody ReassignmentRequest request) {
		return this.reassignments.reassign(id, request);
	}

}
