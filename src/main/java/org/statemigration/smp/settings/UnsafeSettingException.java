package org.statemigration.smp.settings;

import org.statemigration.smp.problem.ProblemException;

/** A setting that would endanger data, refused unless the configuration allows it (400 {@code unsafe-setting}). */
public class UnsafeSettingException extends ProblemException {

	public UnsafeSettingException(String detail) {
		super("unsafe-setting", 400, detail);
	}

	@Override
	public String title() {
		return "Unsafe setting";
	}

}
