package org.statemigration.smp.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.problem.ProblemType;

import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The problem documents written where no message converter runs: security filters and the container. */
class ProblemsTests {

	@Test
	void aProblemWrittenToTheResponseIsAProblemDocumentWithTheStatusOfItsType() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		Problems.write(response, ProblemType.REQUEST_TOO_LARGE, "The body is larger than 65536 bytes");
		assertThat(response.getStatus()).isEqualTo(413);
		assertThat(response.getContentType()).isEqualTo("application/problem+json;charset=UTF-8");
		assertThat(response.isCommitted()).isTrue();
		assertThat(response.getContentAsString()).isEqualTo("{\"type\":\"urn:smp:problem:request-too-large\","
				+ "\"title\":\"Request too large\",\"status\":413,\"detail\":\"The body is larger than 65536 bytes\"}");
	}

	@Test
	void quotesAndBackslashesAreEscapedAndOtherTextIsUtf8() {
		String json = new String(Problems.json(Problems.of(ProblemType.VALIDATION, "Say \"no\" \\ café")),
				StandardCharsets.UTF_8);
		assertThat(json).isEqualTo("{\"type\":\"urn:smp:problem:validation\",\"title\":\"Invalid request\","
				+ "\"status\":400,\"detail\":\"Say \\\"no\\\" \\\\ café\"}");
	}

	@Test
	void anAnswerKnownOnlyByItsStatusIsTitledAndDescribedByTheStatus() {
		assertThat(new String(Problems.json(Problems.forStatus(505)), StandardCharsets.UTF_8))
			.isEqualTo("{\"type\":\"urn:smp:problem:validation\",\"title\":\"HTTP version not supported\","
					+ "\"status\":505,\"detail\":\"HTTP version not supported\"}");
		assertThat(new String(Problems.json(Problems.forStatus(404)), StandardCharsets.UTF_8))
			.isEqualTo("{\"type\":\"urn:smp:problem:not-found\",\"title\":\"Not found\",\"status\":404,"
					+ "\"detail\":\"Not found\"}");
		assertThat(new String(Problems.json(Problems.forStatus(502)), StandardCharsets.UTF_8))
			.isEqualTo("{\"type\":\"urn:smp:problem:internal\",\"title\":\"Internal error\",\"status\":502,"
					+ "\"detail\":\"Internal error\"}");
	}

	@Test
	void theInstanceAndExtensionMembersFollowTheStandardMembers() {
		ProblemDetail problem = Problems.of(ProblemType.CHECKSUM_MISMATCH, "The chunk does not match");
		problem.setInstance(URI.create("/api/v1/uploads/1"));
		problem.setProperty("offset", 42);
		assertThat(new String(Problems.json(problem), StandardCharsets.UTF_8))
			.isEqualTo("{\"type\":\"urn:smp:problem:digest-mismatch\",\"title\":\"Checksum mismatch\",\"status\":460,"
					+ "\"detail\":\"The chunk does not match\",\"instance\":\"/api/v1/uploads/1\",\"offset\":42}");
	}

}
