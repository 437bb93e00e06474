package org.statemigration.smp.association;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/**
 * A SMBIOS UUID or MAC address that belongs to another computer, or a presented identity that contradicts the
 * computer's record ({@code identity-conflict}).
 */
public class ComputerIdentityConflictException extends ProblemException {

	public ComputerIdentityConflictException(String detail) {
		super(ProblemType.IDENTITY_CONFLICT, detail);
	}

}
