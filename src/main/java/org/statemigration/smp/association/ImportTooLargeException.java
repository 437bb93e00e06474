package org.statemigration.smp.association;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** A bulk import file with more lines than an import takes ({@code request-too-large}). */
public class ImportTooLargeException extends ProblemException {

	public ImportTooLargeException(String detail) {
		super(ProblemType.REQUEST_TOO_LARGE, detail);
	}

}
