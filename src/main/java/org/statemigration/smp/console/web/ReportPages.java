package org.statemigration.smp.console.web;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;
import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.report.MigrationStatusCsv;
import org.statemigration.smp.report.MigrationStatusFilter;
import org.statemigration.smp.report.MigrationStatusReport;
import org.statemigration.smp.report.MigrationStatusReports;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * Reports: the migration status report with the associations list's filters, and its downloads as CSV (one row
 * per association, streamed) and JSON, the same as the API's.
 */
@Controller
class ReportPages {

	private final MigrationStatusReports reports;

	private final MigrationStatusCsv csv;

	ReportPages(MigrationStatusReports reports, MigrationStatusCsv csv) {
		this.reports = reports;
		this.csv = csv;
	}

	@GetMapping("/console/reports")
	String report(@RequestParam(required = false) AssociationState state,
			@RequestParam(required = false) String computer,
			@RequestParam(defaultValue = "" + MigrationStatusFilter.DEFAULT_DAYS) int days, Model model) {
		MigrationStatusFilter filter = filter(state, computer, days);
		model.addAttribute("report", this.reports.report(filter));
		model.addAttribute("state", state);
		model.addAttribute("computer", filter.computer());
		model.addAttribute("days", days);
		model.addAttribute("states", AssociationState.values());
		return "console/reports";
	}

	@GetMapping("/console/reports/migration-status.json")
	@ResponseBody
	ResponseEntity<MigrationStatusReport> json(@RequestParam(required = false) AssociationState state,
			@RequestParam(required = false) String computer,
			@RequestParam(defaultValue = "" + MigrationStatusFilter.DEFAULT_DAYS) int days) {
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"migration-status.json\"")
			.body(this.reports.report(filter(state, computer, days)));
	}

	@GetMapping("/console/reports/migration-status.csv")
	void csv(@RequestParam(required = false) AssociationState state, @RequestParam(required = false) String computer,
			@RequestParam(defaultValue = "" + MigrationStatusFilter.DEFAULT_DAYS) int days,
			HttpServletResponse response) throws IOException {
		MigrationStatusFilter filter = filter(state, computer, days);
		response.setContentType(MigrationStatusCsv.MEDIA_TYPE + ";charset=UTF-8");
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"migration-status.csv\"");
		Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
		this.csv.write(filter, out);
		out.flush();
	}

	/** The filters as the associations page takes them: the computer's name without surrounding spaces. */
	private static MigrationStatusFilter filter(AssociationState state, String computer, int days) {
		return new MigrationStatusFilter(state, (computer != null) ? computer.strip() : null, days);
	}

}
