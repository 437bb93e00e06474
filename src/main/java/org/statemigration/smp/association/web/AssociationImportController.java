package org.statemigration.smp.association.web;

import java.io.IOException;
import java.security.Principal;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.statemigration.smp.association.AssociationImportReport;
import org.statemigration.smp.association.AssociationImports;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bulk import of associations from a CSV file, streamed from the request body.
 */
@RestController
class AssociationImportController {

	private final AssociationImports imports;

	AssociationImportController(AssociationImports imports) {
		this.imports = imports;
	}

	@PostMapping(path = "/api/v1/associations/import", consumes = "text/csv")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The CSV file (UTF-8, RFC 4180)",
			content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "201", description = "Imported, every line", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "200", description = "Dry run: the report, whether the file is clean or not",
			useReturnTypeSchema = true)
	ResponseEntity<AssociationImportReport> importCsv(
			@Parameter(description = "check only, import nothing") @RequestParam(defaultValue = "false") boolean dryRun,
			HttpServletRequest request, Principal operator) throws IOException {
		AssociationImportReport report = this.imports.importCsv(request.getInputStream(), dryRun, operator.getName());
		return ResponseEntity.status(dryRun ? HttpStatus.OK : HttpStatus.CREATED).body(report);
	}

}
