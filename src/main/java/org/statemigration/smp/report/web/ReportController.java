package org.statemigration.smp.report.web;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.report.MigrationStatusCsv;
import org.statemigration.smp.report.MigrationStatusFilter;
import org.statemigration.smp.report.MigrationStatusReport;
import org.statemigration.smp.report.MigrationStatusReports;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The migration status report, as JSON or, with {@code Accept: text/csv}, as a CSV export of one row per
 * association, streamed as it is read. The filters are those of the associations list.
 */
@RestController
@RequestMapping("/api/v1/reports/migration-status")
class ReportController {

	private final MigrationStatusReports reports;

	private final MigrationStatusCsv csv;

	ReportController(MigrationStatusReports reports, MigrationStatusCsv csv) {
		this.reports = reports;
		this.csv = csv;
	}

	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "The migration status report; with Accept: text/csv, one CSV row per association")
	@ApiResponse(responseCode = "200", description = "The report as JSON, or with Accept: text/csv its CSV export",
			content = { @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = MigrationStatusReport.class)),
					@Content(mediaType = MigrationStatusCsv.MEDIA_TYPE, schema = @Schema(type = "string")) })
	MigrationStatusReport report(@RequestParam(required = false) AssociationState state,
			@RequestParam(required = false) String computer,
			@RequestParam(defaultValue = "" + MigrationStatusFilter.DEFAULT_DAYS) int days) {
		return this.reports.report(new MigrationStatusFilter(state, computer, days));
	}

	@GetMapping(produces = MigrationStatusCsv.MEDIA_TYPE)
	@Operation(hidden = true)
	void export(@RequestParam(required = false) AssociationState state,
			@RequestParam(required = false) String computer,
			@RequestParam(defaultValue = "" + MigrationStatusFilter.DEFAULT_DAYS) int days, HttpServletResponse response)
			throws IOException {
		MigrationStatusFilter filter = new MigrationStatusFilter(state, computer, days);
		response.setContentType(MigrationStatusCsv.MEDIA_TYPE + ";charset=UTF-8");
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"migration-status.csv\"");
		Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
		this.csv.write(filter, out);
		out.flush();
	}

}
