package org.statemigration.smp.pki;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** No valid client certificate of an enrolled computer was presented ({@code unauthorized}). */
public class ClientNotAuthenticatedException extends ProblemException {

	public ClientNotAuthenticatedException(String detail) {
		super(ProblemType.UNAUTHORIZED, detail);
	}

}
