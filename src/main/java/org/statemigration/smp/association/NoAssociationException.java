package org.statemigration.smp.association;

import org.statemigration.smp.problem.ProblemException;

/** The requesting computer takes part in no association in the role it asked for (404). */
public class NoAssociationException extends ProblemException {

	public NoAssociationException(String detail) {
		super("no-association", 404, detail);
	}

	@Override
	public String title() {
		return "No association";
	}

}
