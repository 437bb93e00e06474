package org.statemigration.smp.config;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Closes the connection after the answer to a request whose body the server gave up on (see {@link #abandon}),
 * instead of letting the container read the rest of that body first. The container would otherwise swallow up to
 * its {@code maxSwallowSize} of it, as slowly as the client cares to send it: a client cut off for trickling its
 * body would hold a thread all the same.
 */
class AbandonedBodyValve extends ValveBase {

	private static final String ABANDONED = AbandonedBodyValve.class.getName() + ".abandoned";

	AbandonedBodyValve() {
		super(true);
	}

	/** Marks the request's body as given up on: its connection closes once the answer is written. */
	static void abandon(ServletRequest request) {
		request.setAttribute(ABANDONED, Boolean.TRUE);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		try {
			getNext().invoke(request, response);
		}
		finally {
			if (request.getAttribute(ABANDONED) != null) {
				request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
			}
		}
	}

}
