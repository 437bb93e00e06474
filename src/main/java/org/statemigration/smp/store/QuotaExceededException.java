package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

public class QuotaExceededException extends ProblemException {

	public QuotaExceededException(String detail) {
		super(ProblemType.QUOTA_EXCEEDED, detail);
	}

}
