package org.statemigration.smp.association;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.statemigration.smp.problem.ValidationException;

/**
 * One line of a bulk import, checked on its own as an association that an operator would create.
 */
record ImportLine(long line, String source, String destination, UserAccounts accounts, String notes,
		ComputerIdentity sourceIdentity, ComputerIdentity destinationIdentity) {

	private static final int MAX_NOTES = 1000;

	/**
	 * @param field a column's value by its name, blank when the file has no such column
	 * @throws ValidationException with the first thing wrong with the line
	 */
	static ImportLine of(long line, Function<String, String> field) {
		String source = Computers.validName(field.apply("sourceComputer"), "sourceComputer");
		String destination = Computers.validName(field.apply("destinationComputer"), "destinationComputer");
		String modeText = field.apply("userAccountMode");
		UserAccountMode mode;
		try {
			mode = modeText.isEmpty() ? UserAccountMode.CAPTURE_SPECIFIED_RESTORE_SPECIFIED
					: UserAccountMode.valueOf(modeText.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new ValidationException(
					"userAccountMode must be one of " + Arrays.toString(UserAccountMode.values()));
		}
		UserAccounts accounts = new UserAccounts(mode, split(field.apply("userAccounts"))).validated();
		String notes = field.apply("notes");
		if (notes.length() > MAX_NOTES) {
			throw new ValidationException("notes must be at most " + MAX_NOTES + " characters");
		}
		ComputerIdentity sourceIdentity = ComputerIdentity.of(field.apply("sourceSmbiosGuid"),
				split(field.apply("sourceMacAddresses")), "source");
		ComputerIdentity destinationIdentity = ComputerIdentity.of(field.apply("destinationSmbiosGuid"),
				split(field.apply("destinationMacAddresses")), "destination");
		return new ImportLine(line, source, destination, accounts, notes.isEmpty() ? null : notes, sourceIdentity,
				destinationIdentity);
	}

	/** Several values of one field, separated by {@code ;}. */
	static List<String> split(String text) {
		return Arrays.stream(text.split(";")).map(String::strip).filter((value) -> !value.isEmpty()).toList();
	}

	String sourceKey() {
		return Computers.key(this.source);
	}

	String destinationKey() {
		return Computers.key(this.destination);
	}

}
