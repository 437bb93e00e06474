package org.statemigration.smp.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cells of the CSV export: RFC 4180 quoting, and text that a spreadsheet would run as a formula defused.
 */
class MigrationStatusCsvTests {

	@Test
	void plainFieldsAreWrittenAsTheyAre() {
		assertThat(MigrationStatusCsv.quoted("OLD-PC")).isEqualTo("OLD-PC");
		assertThat(MigrationStatusCsv.quoted("")).isEmpty();
	}

	@Test
	void fieldsWithCommasQuotesOrLineBreaksAreQuotedWithQuotesDoubled() {
		assertThat(MigrationStatusCsv.quoted("a,b")).isEqualTo("\"a,b\"");
		assertThat(MigrationStatusCsv.quoted("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
		assertThat(MigrationStatusCsv.quoted("line\r\nbreak")).isEqualTo("\"line\r\nbreak\"");
		assertThat(MigrationStatusCsv.quoted("line\nbreak")).isEqualTo("\"line\nbreak\"");
	}

	@Test
	void textThatASpreadsheetWouldTakeForAFormulaGetsALeadingQuote() {
		for (String formula : new String[] { "=1+1", "+1", "-PC", "@SUM(A1)", "\tx", "\rx" }) {
			assertThat(MigrationStatusCsv.text(formula)).as(formula).isEqualTo("'" + formula);
		}
		assertThat(MigrationStatusCsv.text("PC-1=2")).isEqualTo("PC-1=2");
		assertThat(MigrationStatusCsv.text(null)).isEmpty();
	}

	@Test
	void aDefusedFormulaWithACommaIsStillQuoted() {
		assertThat(MigrationStatusCsv.quoted(MigrationStatusCsv.text("=HYPERLINK(\"x\",\"y\")")))
			.isEqualTo("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
	}

}
