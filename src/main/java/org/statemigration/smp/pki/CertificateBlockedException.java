package org.statemigration.smp.pki;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** The client certificate has been blocked by an operator ({@code certificate-blocked}). */
public class CertificateBlockedException extends ProblemException {

	public CertificateBlockedException(String detail) {
		super(ProblemType.CERTIFICATE_BLOCKED, detail);
	}

}
