package org.statemigration.smp.recovery;

import org.statemigration.smp.problem.ValidationException;

/** The reason that every recovery action must give: 10-500 characters, not counting surrounding blanks. */
final class Reasons {

	static final int MIN = 10;

	static final int MAX = 500;

	private Reasons() {
	}

	static String valid(String reason) {
		String stripped = (reason != null) ? reason.strip() : "";
		if (stripped.length() < MIN || stripped.length() > MAX) {
			throw new ValidationException("reason is required and must be " + MIN + "-" + MAX + " characters");
		}
		return stripped;
	}

}
