package org.statemigration.smp.association;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** The requesting computer takes part in no association in the role it asked for ({@code no-association}). */
public class NoAssociationException extends ProblemException {

	public NoAssociationException(String detail) {
		super(ProblemType.NO_ASSOCIATION, detail);
	}

}
