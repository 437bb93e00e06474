package org.statemigration.smp.scrub;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** The state store a restore would read is marked damaged by the integrity scrub ({@code store-damaged}). */
public class StoreDamagedException extends ProblemException {

	public StoreDamagedException(String detail) {
		super(ProblemType.STORE_DAMAGED, detail);
	}

}
