package org.statemigration.smp.config;

import java.util.List;

import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;

import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The error dispatch answers a problem document with the problem type of the failed request's status. */
class ProblemErrorControllerTests {

	private final ProblemErrorController controller = new ProblemErrorController(new DefaultErrorAttributes(),
			List.of());

	@Test
	void aFailedRequestIsAnsweredWithTheProblemOfItsStatus() {
		ResponseEntity<ProblemDetail> answer = this.controller.error(failed(405, "/api/v1/settings"));
		assertThat(answer.getStatusCode().value()).isEqualTo(405);
		assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(answer.getBody().getType()).hasToString("urn:smp:problem:validation");
		assertThat(answer.getBody().getTitle()).isEqualTo("Method not allowed");
		assertThat(answer.getBody().getStatus()).isEqualTo(405);
		assertThat(answer.getBody().getDetail()).isEqualTo("Method not allowed");
	}

	@Test
	void aDirectRequestForTheErrorPathIsNotFound() {
		ResponseEntity<ProblemDetail> answer = this.controller.error(new MockHttpServletRequest("GET", "/error"));
		assertThat(answer.getStatusCode().value()).isEqualTo(404);
		assertThat(answer.getBody().getType()).hasToString("urn:smp:problem:not-found");
	}

	@Test
	void aBrowserOutsideTheConsoleGetsTheProblemDocumentToo() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		assertThat(this.controller.errorHtml(failed(503, "/api/v1/associations"), response)).isNull();
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getContentType()).isEqualTo("application/problem+json;charset=UTF-8");
		assertThat(response.getContentAsString()).isEqualTo("{\"type\":\"urn:smp:problem:server-busy\","
				+ "\"title\":\"Service unavailable\",\"status\":503,\"detail\":\"Service unavailable\"}");
	}

	private static MockHttpServletRequest failed(int status, String uri) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
		request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
		request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, uri);
		return request;
	}

}
