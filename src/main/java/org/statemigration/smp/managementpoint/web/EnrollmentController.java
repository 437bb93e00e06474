package org.statemigration.smp.managementpoint.web;

import org.statemigration.smp.managementpoint.Enrollment;
import org.statemigration.smp.managementpoint.EnrollmentResult;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EnrollmentController {

	private final Enrollment enrollment;

	EnrollmentController(Enrollment enrollment) {
		this.enrollment = enrollment;
	}

	@PostMapping("/api/v1/enrollment")
	@ResponseStatus(HttpStatus.CREATED)
	EnrollmentResult enroll(@RequestBody EnrollmentRequest request) {
		return this.enrollment.enroll(request.code(), request.csr());
	}

	record EnrollmentRequest(String code, String csr) {

		@Override
		public String toString() {
			return "EnrollmentRequest[****]";
		}

	}

}
