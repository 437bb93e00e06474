package org.statemigration.smp.settings;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** A setting that would endanger data, refused unless the configuration allows it ({@code unsafe-setting}). */
public class UnsafeSettingException extends ProblemException {

	public UnsafeSettingException(String detail) {
		super(ProblemType.UNSAFE_SETTING, detail);
	}

}
