package org.statemigration.smp.pki.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.statemigration.smp.pki.EnrolledComputer;
import org.statemigration.smp.pki.EnrollmentCodeInvalidException;
import org.statemigration.smp.pki.internal.CertificateRenewal;
import org.statemigration.smp.pki.internal.Enrollment;
import org.statemigration.smp.pki.internal.EnrollmentResult;
import org.statemigration.smp.pki.internal.EnrollmentThrottle;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EnrollmentController {

	private final Enrollment enrollment;

	private final EnrollmentThrottle throttle;

	private final CertificateRenewal renewal;

	EnrollmentController(Enrollment enrollment, EnrollmentThrottle throttle, CertificateRenewal renewal) {
		this.enrollment = enrollment;
		this.throttle = throttle;
		this.renewal = renewal;
	}

	@PostMapping("/api/v1/enrollment")
	@ResponseStatus(HttpStatus.CREATED)
	EnrollmentResult enroll(@RequestBody EnrollmentRequest request, HttpServletRequest http) {
		// the TCP peer, not a forwarded header: a client could forge that, and mutual TLS ends at this server
		String address = http.getRemoteAddr();
		this.throttle.checkAllowed(address);
		try {
			return this.enrollment.enroll(request.code(), request.csr(), address, request.computerName(),
					request.smbiosGuid(), request.macAddresses());
		}
		catch (EnrollmentCodeInvalidException ex) {
			this.throttle.recordFailure(address);
			throw ex;
		}
	}

	@PostMapping("/api/v1/enrollment/renewal")
	@ResponseStatus(HttpStatus.CREATED)
	EnrollmentResult renew(@AuthenticationPrincipal EnrolledComputer computer, @RequestBody RenewalRequest request) {
		return this.renewal.renew(computer, request.csr());
	}

	record EnrollmentRequest(String code, String csr, String computerName, String smbiosGuid,
			List<String> macAddresses) {

		@Override
		public String toString() {
			return "EnrollmentRequest[****]";
		}

	}

	record RenewalRequest(String csr) {
	}

}
