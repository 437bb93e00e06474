package org.statemigration.smp.association;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** The user-account mode forbids another association for this source computer ({@code duplicate-association}). */
public class DuplicateAssociationException extends ProblemException {

	public DuplicateAssociationException(String detail) {
		super(ProblemType.DUPLICATE_ASSOCIATION, detail);
	}

}
