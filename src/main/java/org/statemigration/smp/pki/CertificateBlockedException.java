package org.statemigration.smp.pki;

import org.statemigration.smp.problem.ProblemException;

/** The client certificate has been blocked by an operator (403). */
public class CertificateBlockedException extends ProblemException {

	public CertificateBlockedException(String detail) {
		super("certificate-blocked", 403, detail);
	}

	@Override
	public String title() {
		return "Certificate blocked";
	}

}
