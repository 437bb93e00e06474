package org.statemigration.smp.pki.web;

import org.statemigration.smp.pki.ClientCertificate;
import org.statemigration.smp.pki.ClientCertificates;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CertificateController {

	private final ClientCertificates certificates;

	CertificateController(ClientCertificates certificates) {
		this.certificates = certificates;
	}

	@PostMapping("/api/v1/certificates/{serial}/block")
	ClientCertificate block(@PathVariable String serial, @RequestBody BlockRequest request) {
		return this.certificates.block(serial, request.reason());
	}

	record BlockRequest(String reason) {
	}

}
