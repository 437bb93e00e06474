package org.statemigration.smp.config;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.statemigration.smp.audit.AuditUnavailableException;
import org.statemigration.smp.crypto.CiphertextAuthenticationException;
import org.statemigration.smp.managementpoint.TokenInvalidException;
import org.statemigration.smp.problem.InvalidStateException;
import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;
import org.statemigration.smp.problem.RateLimitedException;
import org.statemigration.smp.problem.RequestBodyTimeoutException;
import org.statemigration.smp.problem.ServerBusyException;
import org.statemigration.smp.problem.ValidationException;
import org.statemigration.smp.store.CaptureInProgressException;
import org.statemigration.smp.store.ChecksumMismatchException;
import org.statemigration.smp.store.InsufficientStorageException;
import org.statemigration.smp.store.QuotaExceededException;
import org.statemigration.smp.store.UploadConflictException;
import org.statemigration.smp.store.UploadExpiredException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * What {@link ProblemDetailsAdvice} answers for each kind of failure of a controller: the status, the problem
 * document (type, title, status, detail, instance) and its headers.
 */
class ProblemDetailsAdviceTests {

	private final FailingController controller = new FailingController();

	private final MockMvc mvc = MockMvcBuilders.standaloneSetup(this.controller)
		.setControllerAdvice(new ProblemDetailsAdvice())
		.build();

	@ParameterizedTest
	@EnumSource(ProblemType.class)
	void everyProblemTypeIsAnsweredWithItsStatusSlugAndTitle(ProblemType type) throws Exception {
		assertProblem(this.mvc.perform(get("/refused/" + type)), ProblemStatuses.of(type).value(), type.slug(),
				type.title(), "Refused as " + type)
			.andExpect(jsonPath("$.instance").value("/refused/" + type));
	}

	static Stream<Arguments> refusals() {
		return Stream.of(Arguments.of(new ValidationException("bad"), 400, "validation", "Invalid request"),
				Arguments.of(new NotFoundException("bad"), 404, "not-found", "Not found"),
				Arguments.of(new InvalidStateException("bad"), 409, "invalid-state",
						"Not allowed in the current state"),
				Arguments.of(new TokenInvalidException("bad"), 401, "token-invalid", "Invalid token"),
				Arguments.of(new QuotaExceededException("bad"), 413, "quota-exceeded", "Quota exceeded"),
				Arguments.of(new InsufficientStorageException("bad"), 507, "insufficient-storage",
						"Insufficient storage"),
				Arguments.of(new UploadConflictException("bad"), 409, "invalid-state", "Upload offset conflict"),
				Arguments.of(new UploadExpiredException("bad"), 410, "not-found", "Upload expired"),
				Arguments.of(new ChecksumMismatchException("bad"), 460, "digest-mismatch", "Checksum mismatch"));
	}

	@ParameterizedTest
	@MethodSource("refusals")
	void aRefusalIsAnsweredAsTheContractSays(ProblemException refusal, int status, String slug, String title)
			throws Exception {
		this.controller.failure = refusal;
		assertProblem(this.mvc.perform(get("/failing")), status, slug, title, "bad")
			.andExpect(jsonPath("$.instance").value("/failing"))
			.andExpect(header().doesNotExist(HttpHeaders.RETRY_AFTER));
	}

	@Test
	void theAuditLogUnavailableIsAServerSideRefusal() throws Exception {
		this.controller.failure = new AuditUnavailableException(new SQLException("lock timeout"));
		assertProblem(this.mvc.perform(get("/failing")), 503, "audit-unavailable", "Audit log unavailable",
				"The audit log cannot be written; the action was not carried out");
	}

	@Test
	void aRefusalForNowCarriesRetryAfterInWholeSeconds() throws Exception {
		this.controller.failure = new ServerBusyException("Too busy", Duration.ofMillis(1500));
		assertProblem(this.mvc.perform(get("/failing")), 503, "server-busy", "Server busy", "Too busy")
			.andExpect(header().string(HttpHeaders.RETRY_AFTER, "2"));
		this.controller.failure = new RateLimitedException("Too many", Duration.ofMinutes(15));
		assertProblem(this.mvc.perform(get("/failing")), 429, "rate-limited", "Too many attempts", "Too many")
			.andExpect(header().string(HttpHeaders.RETRY_AFTER, "900"));
		this.controller.failure = new CaptureInProgressException();
		assertProblem(this.mvc.perform(get("/failing")), 503, "capture-in-progress", "Capture in progress",
				"Another capture of this association is in progress; try again shortly")
			.andExpect(header().string(HttpHeaders.RETRY_AFTER, "5"));
	}

	@Test
	void aBodyThatIsNotJsonIsAValidationProblem() throws Exception {
		assertProblem(this.mvc.perform(post("/json").contentType(MediaType.APPLICATION_JSON).content("{")), 400,
				"validation", "Invalid request", "The body is not valid JSON for this request");
	}

	@Test
	void aMissingOrInvalidParameterIsAValidationProblemThatNamesIt() throws Exception {
		assertProblem(this.mvc.perform(get("/sized")), 400, "validation", "Invalid request", "Missing parameter size");
		assertProblem(this.mvc.perform(get("/sized").param("size", "ten")), 400, "validation", "Invalid request",
				"Invalid value for size");
	}

	@Test
	void aMethodTheResourceDoesNotTakeIsAValidationProblemWithItsOwnStatus() throws Exception {
		assertProblem(this.mvc.perform(delete("/sized")), 405, "validation", "Method Not Allowed",
				"The method is not allowed on this resource")
			.andExpect(header().string(HttpHeaders.ALLOW, containsString("GET")));
	}

	@Test
	void aBodyOfATypeTheEndpointDoesNotReadIsAnUnsupportedMediaType() throws Exception {
		assertProblem(this.mvc.perform(post("/json").contentType(MediaType.TEXT_PLAIN).content("{}")), 415,
				"unsupported-media-type", "Unsupported Media Type", "The Content-Type is not one this endpoint reads");
		this.controller.failure = new InvalidMediaTypeException("*/;", "no subtype");
		assertProblem(this.mvc.perform(get("/failing")), 415, "unsupported-media-type", "Unsupported media type",
				"The Content-Type is not one this endpoint reads");
	}

	@Test
	void noSuchResourceIsNotFound() throws Exception {
		this.controller.failure = new NoResourceFoundException(HttpMethod.GET, "/nothing", "nothing");
		assertProblem(this.mvc.perform(get("/failing")), 404, "not-found", "Not found", "No such resource");
	}

	@Test
	void aRoleThatDoesNotAllowTheRequestIsForbidden() throws Exception {
		this.controller.failure = new AccessDeniedException("Access Denied");
		assertProblem(this.mvc.perform(get("/failing")), 403, "forbidden", "Forbidden",
				"Your role does not allow this");
	}

	@Test
	void aBodyTooSlowIsARequestTimeoutThatClosesTheConnection() throws Exception {
		this.controller.failure = new RequestBodyTimeoutException("The body took longer than 10 s");
		assertProblem(this.mvc.perform(get("/failing")), 408, "request-timeout", "Request timeout",
				"The body took longer than 10 s")
			.andExpect(header().string(HttpHeaders.CONNECTION, "close"));
		this.controller.failure = new IllegalStateException(new RequestBodyTimeoutException("Too slow"));
		assertProblem(this.mvc.perform(get("/failing")), 408, "request-timeout", "Request timeout", "Too slow")
			.andExpect(header().string(HttpHeaders.CONNECTION, "close"));
	}

	@Test
	void aBodyOverTheLimitIsRequestTooLarge() throws Exception {
		this.controller.failure = new IllegalStateException(new RequestTooLargeException(65536));
		assertProblem(this.mvc.perform(get("/failing")), 413, "request-too-large", "Request too large",
				"The body is larger than this endpoint accepts");
	}

	@Test
	void anUnavailableDatabaseIsAnsweredWithRetryAfter() throws Exception {
		this.controller.failure = new CannotCreateTransactionException("no connection");
		assertProblem(this.mvc.perform(get("/failing")), 503, "database-unavailable", "Database unavailable",
				"The server cannot reach its database right now; try again shortly")
			.andExpect(header().string(HttpHeaders.RETRY_AFTER, "10"));
	}

	@Test
	void aStateStoreChangedOnDiskIsAnInternalErrorThatSaysOnlyThat() throws Exception {
		this.controller.failure = new CiphertextAuthenticationException("segment 3 failed authentication");
		assertProblem(this.mvc.perform(get("/failing")), 500, "internal", "Internal error",
				"The state store could not be read intact")
			.andExpect(content().string(not(containsString("segment 3"))));
	}

	@Test
	void anUnexpectedFailureIsAnInternalErrorThatSaysNothingOfIt() throws Exception {
		this.controller.failure = new IllegalStateException("a secret detail");
		assertProblem(this.mvc.perform(get("/failing")), 500, "internal", "Internal error",
				"The server could not complete the request")
			.andExpect(content().string(not(containsString("secret"))));
	}

	private static ResultActions assertProblem(ResultActions result, int status, String slug, String title,
			String detail) throws Exception {
		return result.andExpect(status().is(status))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("urn:smp:problem:" + slug))
			.andExpect(jsonPath("$.title").value(title))
			.andExpect(jsonPath("$.status").value(status))
			.andExpect(jsonPath("$.detail").value(detail));
	}

	@RestController
	static class FailingController {

		Exception failure;

		@GetMapping("/failing")
		void fail() throws Exception {
			throw this.failure;
		}

		@GetMapping("/refused/{type}")
		void refuse(@PathVariable ProblemType type) {
			throw new Refused(type);
		}

		@GetMapping("/sized")
		int sized(@RequestParam int size) {
			return size;
		}

		@PostMapping("/json")
		Map<String, Object> json(@RequestBody Map<String, Object> body) {
			return body;
		}

	}

	static class Refused extends ProblemException {

		Refused(ProblemType type) {
			super(type, "Refused as " + type);
		}

	}

}
