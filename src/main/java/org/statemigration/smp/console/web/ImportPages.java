package org.statemigration.smp.console.web;

import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.fileupload.FileItemIterator;
import org.apache.tomcat.util.http.fileupload.FileItemStream;
import org.apache.tomcat.util.http.fileupload.FileUpload;
import org.apache.tomcat.util.http.fileupload.FileUploadException;
import org.apache.tomcat.util.http.fileupload.servlet.ServletRequestContext;
import org.statemigration.smp.association.AssociationImportReport;
import org.statemigration.smp.association.AssociationImports;
import org.statemigration.smp.association.ImportRefusedException;
import org.statemigration.smp.problem.ProblemException;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Bulk import of associations from a CSV file: check it (a dry run, with every bad line), then import it. The file
 * comes as the one part of a multipart form and is streamed to the import as it arrives, never kept whole; the
 * server takes no multipart request anywhere else, so the form's CSRF token travels in its address.
 */
@Controller
class ImportPages {

	private final AssociationImports imports;

	ImportPages(AssociationImports imports) {
		this.imports = imports;
	}

	@GetMapping("/console/associations/import")
	String form() {
		return "console/association-import";
	}

	@PostMapping("/console/associations/import")
	String importFile(@RequestParam(defaultValue = "true") boolean dryRun, HttpServletRequest request,
			HttpServletResponse response, Principal operator, Model model) throws IOException {
		try {
			FileItemIterator items = new FileUpload().getItemIterator(new ServletRequestContext(request));
			while (items.hasNext()) {
				FileItemStream item = items.next();
				if (!item.isFormField() && "file".equals(item.getFieldName())) {
					model.addAttribute("fileName", item.getName());
					try (InputStream file = item.openStream()) {
						AssociationImportReport report = this.imports.importCsv(file, dryRun, operator.getName());
						model.addAttribute("report", report);
						if (report.imported()) {
							model.addAttribute("notice", report.associations() + " associations imported.");
						}
					}
					return "console/association-import";
				}
			}
			model.addAttribute("error", Refusals.onForm(new NoFileException(), response));
		}
		catch (ImportRefusedException ex) {
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			model.addAttribute("report", ex.report());
		}
		catch (ProblemException ex) {
			model.addAttribute("error", Refusals.onForm(ex, response));
		}
		catch (FileUploadException ex) {
			model.addAttribute("error", Refusals.onForm(new NoFileException(), response));
		}
		return "console/association-import";
	}

	/** A form posted without its file. */
	private static final class NoFileException extends ProblemException {

		NoFileException() {
			super(org.statemigration.smp.problem.ProblemType.VALIDATION, "Choose a CSV file to check or import.");
		}

	}

}
