package org.statemigration.smp.config;

import java.io.IOException;
import java.io.PrintStream;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Ends the process on an error the JVM cannot recover from, as {@code -XX:+ExitOnOutOfMemoryError} does, so that
 * the service manager starts a healthy one. A server that ran out of memory once may have lost any thread (the
 * one accepting connections, a scheduler) and look alive while it serves nothing; a restart is the only safe
 * answer. It catches such errors wherever they surface: on threads that die of them, and in requests, where the
 * servlet container would otherwise log them and carry on. The JVM flag stays the first line (it also covers
 * errors in threads this guard never sees); this is the second, for servers started without it.
 */
@Configuration(proxyBeanMethods = false)
class FatalErrors {

	/** The exit status of the JVM's own {@code ExitOnOutOfMemoryError}. */
	static final int EXIT_STATUS = 3;

	FatalErrors() {
		Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
			if (isFatal(error)) {
				halt(error, "thread " + thread.getName(), System.err, Runtime.getRuntime()::halt);
			}
			if (previous != null) {
				previous.uncaughtException(thread, error);
			}
			else {
				error.printStackTrace();
			}
		});
	}

	@Bean
	@ConditionalOnWebApplication
	FilterRegistrationBean<Filter> fatalErrorFilter() {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
				new FatalErrorFilter(Runtime.getRuntime()::halt));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.setName("fatalErrorFilter");
		return registration;
	}

	/** Whether the error, or one of its causes, is one after which the JVM cannot be trusted. */
	static boolean isFatal(Throwable error) {
		return fatalCause(error) != null;
	}

	/** The error among the failure and its causes after which the JVM cannot be trusted, or null. */
	private static Throwable fatalCause(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			// a stack overflow unwinds cleanly and leaves the JVM sound: not fatal
			if (cause instanceof OutOfMemoryError || cause instanceof InternalError || cause instanceof UnknownError) {
				return cause;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	/** Ends the process if the failure of a request is fatal; does nothing otherwise. */
	static void haltIfFatal(Throwable failure) {
		if (isFatal(failure)) {
			halt(failure, "a request", System.err, Runtime.getRuntime()::halt);
		}
	}

	static void halt(Throwable error, String where, PrintStream log, Halt halt) {
		try {
			// no logging framework: it may need memory there is none of
			Throwable fatal = (fatalCause(error) != null) ? fatalCause(error) : error;
			// which memory ran out (the heap, direct buffers, metaspace, threads), in the JVM's own words
			String which = (fatal instanceof OutOfMemoryError && fatal.getMessage() != null)
					? " (" + fatal.getMessage() + ")" : "";
			log.println("FATAL: " + fatal.getClass().getName() + which + " in " + where
					+ "; smp stops so that it can be restarted (status " + EXIT_STATUS + ")");
			log.flush();
		}
		finally {
			halt.halt(EXIT_STATUS);
		}
	}

	/** Ends the JVM; {@link Runtime#halt} in production. */
	@FunctionalInterface
	interface Halt {

		void halt(int status);

	}

	/** Catches fatal errors of requests before the container logs them and goes on. */
	static final class FatalErrorFilter implements Filter {

		private final Halt halt;

		FatalErrorFilter(Halt halt) {
			this.halt = halt;
		}

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			try {
				chain.doFilter(request, response);
			}
			catch (IOException | ServletException | RuntimeException | Error ex) {
				if (isFatal(ex)) {
					halt(ex, "a request", System.err, this.halt);
				}
				throw ex;
			}
		}

	}

}
