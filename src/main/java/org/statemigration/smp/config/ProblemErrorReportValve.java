package org.statemigration.smp.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;

/**
 * The answers Tomcat gives itself, before or beside the application (a malformed request line or URI, a header
 * or URL too large, an unknown transfer encoding), as problem documents instead of Tomcat's HTML page. Only the
 * status goes out: Tomcat's message may quote the client's input and its exception is never shown.
 */
class ProblemErrorReportValve extends ErrorReportValve {

	private static final Log logger = LogFactory.getLog(ProblemErrorReportValve.class);

	ProblemErrorReportValve() {
		setShowReport(false);
		setShowServerInfo(false);
	}

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		// as the parent: nothing for a success, for an answer already (partly) written, or one reported already
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(false);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		if (throwable != null) {
			logger.debug("Answered " + status + " from the container", throwable);
		}
		byte[] body = Problems.json(Problems.forStatus(status));
		try {
			response.setContentType("application/problem+json");
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			response.setContentLength(body.length);
			response.getOutputStream().write(body);
			response.finishResponse();
		}
		catch (IOException | IllegalStateException ex) {
			logger.debug("Could not write the problem answer", ex);
		}
	}

}
