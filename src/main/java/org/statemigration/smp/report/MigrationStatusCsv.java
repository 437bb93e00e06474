package org.statemigration.smp.report;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Service;

/**
 * The CSV export of a migration status report: one row per association that the filters match, in the order of
 * the associations list, written a page at a time as it is read. RFC 4180: comma-separated, CRLF line ends, a
 * field quoted when it holds a comma, a quote, CR or LF, quotes doubled. A text field that a spreadsheet would take
 * for a formula (starting with {@code = + - @}, a tab or CR) gets a leading {@code '}.
 */
@Service
public class MigrationStatusCsv {

	public static final String MEDIA_TYPE = "text/csv";

	static final List<String> COLUMNS = List.of("id", "sourceComputer", "destinationComputer", "migrationType",
			"state", "legalHold", "storeSizeBytes", "location", "locationKind", "createdAt", "capturedAt",
			"restoredAt", "deleteAt", "ageDays", "waitingDays");

	private final MigrationStatusReports reports;

	MigrationStatusCsv(MigrationStatusReports reports) {
		this.reports = reports;
	}

	/** Writes the header and every row, flushing after each page of rows. */
	public void write(MigrationStatusFilter filter, Writer out) throws IOException {
		line(out, COLUMNS);
		out.flush();
		this.reports.forEachPage(filter, (rows) -> {
			for (ReportRow row : rows) {
				line(out, cells(row));
			}
			out.flush();
		});
	}

	private static List<String> cells(ReportRow row) {
		List<String> cells = new ArrayList<>(COLUMNS.size());
		cells.add(row.id().toString());
		cells.add(text(row.sourceComputer()));
		cells.add(text(row.destinationComputer()));
		cells.add(row.migrationType().name());
		cells.add(row.state().name());
		cells.add(Boolean.toString(row.legalHold()));
		cells.add(number(row.storeSizeBytes()));
		cells.add(text(row.location()));
		cells.add(text(row.locationKind()));
		cells.add(time(row.createdAt()));
		cells.add(time(row.capturedAt()));
		cells.add(time(row.restoredAt()));
		cells.add(time(row.deleteAt()));
		cells.add(Long.toString(row.ageDays()));
		cells.add(number(row.waitingDays()));
		return cells;
	}

	private static void line(Writer out, List<String> cells) throws IOException {
		for (int i = 0; i < cells.size(); i++) {
			if (i > 0) {
				out.write(',');
			}
			out.write(quoted(cells.get(i)));
		}
		out.write("\r\n");
	}

	/** A text cell that no spreadsheet takes for a formula. */
	static String text(String value) {
		if (value == null || value.isEmpty()) {
			return "";
		}
		char first = value.charAt(0);
		boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
				|| first == '\r';
		return formula ? "'" + value : value;
	}

	/** A field as RFC 4180 writes it. */
	static String quoted(String value) {
		boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\r') >= 0
				|| value.indexOf('\n') >= 0;
		return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
	}

	private static String number(Long value) {
		return (value != null) ? value.toString() : "";
	}

	private static String time(Instant value) {
		return (value != null) ? value.toString() : "";
	}

}
