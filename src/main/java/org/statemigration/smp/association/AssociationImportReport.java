package org.statemigration.smp.association;

import java.util.List;

/**
 * What a bulk import of associations found and did.
 * @param dryRun whether the file was only checked
 * @param imported whether its associations were created (never with an error)
 * @param lines the file's records after its header
 * @param associations the associations created, or that would be created
 * @param newComputers the computers registered, or that would be
 * @param errorCount the lines refused, all of them
 * @param errors the first {@link AssociationImports#MAX_REPORTED_ERRORS} of them, by line
 * @param sha256 the hex SHA-256 of the file's bytes
 */
public record AssociationImportReport(boolean dryRun, boolean imported, long lines, int associations,
		int newComputers, int errorCount, List<LineError> errors, String sha256) {

	/** A line refused, with why: the line of the file on which the record begins, the header being line 1. */
	public record LineError(long line, String message) {
	}

}
