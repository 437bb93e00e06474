package org.statemigration.smp.pki;

import org.statemigration.smp.problem.ProblemException;

/** No valid client certificate of an enrolled computer was presented (401). */
public class ClientNotAuthenticatedException extends ProblemException {

	public ClientNotAuthenticatedException(String detail) {
		super("unauthorized", 401, detail);
	}

	@Override
	public String title() {
		return "Unauthorized";
	}

}
