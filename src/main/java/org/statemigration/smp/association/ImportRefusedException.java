package org.statemigration.smp.association;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/**
 * A bulk import that was not done because lines of the file are wrong ({@code validation}): it carries the report
 * with every line refused.
 */
public class ImportRefusedException extends ProblemException {

	private final transient AssociationImportReport report;

	public ImportRefusedException(AssociationImportReport report) {
		super(ProblemType.VALIDATION, report.errorCount() + " line(s) of the file are wrong; nothing was imported");
		this.report = report;
	}

	public AssociationImportReport report() {
		return this.report;
	}

	public List<AssociationImportReport.LineError> errors() {
		return this.report.errors();
	}

	/** The report's findings: {@code errorCount}, {@code errors} (line and message) and the file's {@code sha256}. */
	@Override
	public Map<String, Object> properties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("lines", this.report.lines());
		properties.put("errorCount", this.report.errorCount());
		properties.put("errors", this.report.errors());
		properties.put("sha256", this.report.sha256());
		return properties;
	}

}
