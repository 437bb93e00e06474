package org.statemigration.smp.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.problem.ServerBusyException;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The answers to failures in the security filters, where the problem-details advice does not reach. */
class DatabaseUnavailableFilterTests {

	private final DatabaseUnavailableFilter filter = new DatabaseUnavailableFilter();

	private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/associations");

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	@Test
	void aRefusalForNowIsAnsweredWithItsProblemAndRetryAfter() throws Exception {
		this.filter.doFilter(this.request, this.response, (request, response) -> {
			throw new ServerBusyException("Too many sign-ins at once; try again later", Duration.ofSeconds(1));
		});
		assertThat(this.response.getStatus()).isEqualTo(503);
		assertThat(this.response.getHeader(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(this.response.getContentType()).isEqualTo("application/problem+json;charset=UTF-8");
		assertThat(this.response.getContentAsString()).isEqualTo("{\"type\":\"urn:smp:problem:server-busy\","
				+ "\"title\":\"Server busy\",\"status\":503,"
				+ "\"detail\":\"Too many sign-ins at once; try again later\"}");
	}

	@Test
	void anUnavailableDatabaseIsAnsweredWithRetryAfter() throws Exception {
		this.filter.doFilter(this.request, this.response, (request, response) -> {
			throw new CannotCreateTransactionException("no connection");
		});
		assertThat(this.response.getStatus()).isEqualTo(503);
		assertThat(this.response.getHeader(HttpHeaders.RETRY_AFTER)).isEqualTo("10");
		assertThat(this.response.getContentType()).isEqualTo("application/problem+json;charset=UTF-8");
		assertThat(this.response.getContentAsString())
			.isEqualTo("{\"type\":\"urn:smp:problem:database-unavailable\",\"title\":\"Database unavailable\","
					+ "\"status\":503,"
					+ "\"detail\":\"The server cannot reach its database right now; try again shortly\"}");
	}

	@Test
	void anyOtherFailureGoesOn() {
		assertThatIllegalStateException().isThrownBy(() -> this.filter.doFilter(this.request, this.response,
				(request, response) -> {
					throw new IllegalStateException("not the database");
				}));
		assertThat(this.response.getContentAsByteArray()).isEmpty();
	}

}
