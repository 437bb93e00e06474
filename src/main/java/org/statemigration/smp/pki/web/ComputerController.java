package org.statemigration.smp.pki.web;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.statemigration.smp.association.Computer;
import org.statemigration.smp.association.ComputerIdentities;
import org.statemigration.smp.association.ComputerIdentity;
import org.statemigration.smp.association.Computers;
import org.statemigration.smp.pki.ClientCertificate;
import org.statemigration.smp.pki.ClientCertificates;
import org.statemigration.smp.pki.EnrollmentCodes;
import org.statemigration.smp.pki.IssuedEnrollmentCode;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Computers with their certificates and identities (SMBIOS UUID, MAC addresses), and their enrollment codes.
 */
@RestController
@RequestMapping("/api/v1/computers")
class ComputerController {

	private static final int MAX_RESULTS = 500;

	private final Computers computers;

	private final ClientCertificates certificates;

	private final EnrollmentCodes codes;

	private final ComputerIdentities identities;

	ComputerController(Computers computers, ClientCertificates certificates, EnrollmentCodes codes,
			ComputerIdentities identities) {
		this.computers = computers;
		this.identities = identities;
		this.certificates = certificates;
		this.codes = codes;
	}

	@GetMapping
	List<ComputerView> search(@RequestParam(required = false) String name) {
		return this.computers.search(name, MAX_RESULTS).stream().map(this::view).toList();
	}

	@GetMapping("/{name}")
	ComputerView get(@PathVariable String name) {
		return view(this.computers.get(name));
	}

	@PostMapping("/{name}/enrollment-codes")
	@ApiResponse(responseCode = "201", description = "Issued; the code is shown this once",
			useReturnTypeSchema = true)
	ResponseEntity<IssuedEnrollmentCode> issueCode(@PathVariable String name, Principal operator) {
		IssuedEnrollmentCode code = this.codes.issue(name, operator.getName());
		return ResponseEntity.created(URI.create("/api/v1/computers/" + name))
			.cacheControl(CacheControl.noStore())
			.body(code);
	}

	/** Replaces the computer's SMBIOS UUID and MAC addresses; what the body leaves out is cleared. */
	@PutMapping("/{name}/identity")
	ComputerView replaceIdentity(@PathVariable String name, @RequestBody IdentityRequest request, Principal operator) {
		ComputerIdentity identity = ComputerIdentity.of(request.smbiosGuid(), request.macAddresses(), "");
		return view(this.identities.replace(name, identity, operator.getName()));
	}

	private ComputerView view(Computer computer) {
		return new ComputerView(computer.id(), computer.name(), computer.smbiosGuid(), computer.macAddresses(),
				computer.createdAt(), this.certificates.forComputer(computer.id()));
	}

	record IdentityRequest(String smbiosGuid, List<String> macAddresses) {
	}

	record ComputerView(UUID id, String name, UUID smbiosGuid, List<String> macAddresses, java.time.Instant createdAt,
			List<ClientCertificate> certificates) {
	}

}
