package org.statemigration.smp.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletException;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.config.FatalErrors.FatalErrorFilter;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FatalErrorsTests {

	private final AtomicInteger halted = new AtomicInteger(-1);

	@Test
	void runningOutOfMemoryInARequestEndsTheProcess() {
		FatalErrorFilter filter = new FatalErrorFilter(this.halted::set);
		assertThatExceptionOfType(ServletException.class).isThrownBy(() -> filter.doFilter(
				new MockHttpServletRequest(), new MockHttpServletResponse(), (request, response) -> {
					throw new ServletException("Handler dispatch failed", new OutOfMemoryError("Java heap space"));
				}));
		assertThat(this.halted).hasValue(FatalErrors.EXIT_STATUS);
	}

	@Test
	void ordinaryFailuresAndStackOverflowsLeaveTheProcessAlone() {
		FatalErrorFilter filter = new FatalErrorFilter(this.halted::set);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> filter.doFilter(new MockHttpServletRequest(),
				new MockHttpServletResponse(), (request, response) -> {
					throw new IOException("broken pipe");
				}));
		assertThatExceptionOfType(StackOverflowError.class).isThrownBy(() -> filter.doFilter(
				new MockHttpServletRequest(), new MockHttpServletResponse(), (request, response) -> {
					throw new StackOverflowError();
				}));
		assertThat(this.halted).hasValue(-1);
	}

	@Test
	void theLastWordNamesTheErrorItself() {
		ByteArrayOutputStream log = new ByteArrayOutputStream();
		FatalErrors.halt(new IOException("transfer failed", new OutOfMemoryError("Java heap space")), "a request",
				new PrintStream(log, true, StandardCharsets.UTF_8), this.halted::set);
		assertThat(log.toString(StandardCharsets.UTF_8)).startsWith("FATAL: java.lang.OutOfMemoryError (Java heap space) in a request");
		assertThat(this.halted).hasValue(FatalErrors.EXIT_STATUS);
	}

}
