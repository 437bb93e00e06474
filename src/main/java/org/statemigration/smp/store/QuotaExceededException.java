package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;

public class QuotaExceededException extends ProblemException {

	public QuotaExceededException(String detail) {
		super("quota-exceeded", 413, detail);
	}

	@Override
	public String title() {
		return "Quota exceeded";
	}

}
