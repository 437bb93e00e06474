package org.statemigration.smp.association;

import org.statemigration.smp.problem.ProblemException;

/** The user-account mode forbids another association for this source computer (409). */
public class DuplicateAssociationException extends ProblemException {

	public DuplicateAssociationException(String detail) {
		super("duplicate-association", 409, detail);
	}

	@Override
	public String title() {
		return "Duplicate association";
	}

}
