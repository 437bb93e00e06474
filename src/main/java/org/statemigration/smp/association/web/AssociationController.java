package org.statemigration.smp.association.web;

import java.net.URI;
import java.security.Principal;
import java.util.UUID;

import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.statemigration.smp.association.AssociationPage;
import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.association.ComputerAssociation;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.association.NewAssociation;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/associations")
class AssociationController {

	private final ComputerAssociations associations;

	AssociationController(ComputerAssociations associations) {
		this.associations = associations;
	}

	@PostMapping
	@ApiResponse(responseCode = "201", description = "Created, with its Location", useReturnTypeSchema = true)
	ResponseEntity<ComputerAssociation> create(@RequestBody NewAssociation request, Principal operator) {
		ComputerAssociation created = this.associations.create(request, operator.getName());
		return ResponseEntity.created(URI.create("/api/v1/associations/" + created.id())).body(created);
	}

	@GetMapping
	AssociationPage search(@RequestParam(required = false) AssociationState state,
			@RequestParam(required = false) String computer, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size) {
		return this.associations.search(state, computer, page, size);
	}

	@GetMapping("/{id}")
	ComputerAssociation get(@PathVariable UUID id) {
		return this.associations.get(id);
	}

	@DeleteMapping("/{id}")
	@ApiResponse(responseCode = "204", description = "Deleted, its data keys destroyed")
	ResponseEntity<Void> delete(@PathVariable UUID id, @RequestParam(defaultValue = "false") boolean force,
			Principal operator) {
		this.associations.delete(id, force, operator.getName());
		return ResponseEntity.noContent().build();
	}

}
