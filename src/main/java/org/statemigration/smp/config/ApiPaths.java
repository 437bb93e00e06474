package org.statemigration.smp.config;

import jakarta.servlet.http.HttpServletRequest;

/** Which requests are the API's, and which of those stream a state store in. */
final class ApiPaths {

	private ApiPaths() {
	}

	/** The path as the container decoded and normalized it (no {@code ;} parameters, no {@code ..}). */
	static String of(HttpServletRequest request) {
		String servletPath = request.getServletPath();
		String pathInfo = request.getPathInfo();
		return ((servletPath != null) ? servletPath : "") + ((pathInfo != null) ? pathInfo : "");
	}

	static boolean isApi(String path) {
		return path.equals("/api") || path.startsWith("/api/");
	}

	/** A capture ({@code PUT /api/v1/stores/{id}}) or a resumable upload: bounded by the quota, streamed. */
	static boolean isUpload(String path) {
		return path.startsWith("/api/v1/stores/") || path.equals("/api/v1/uploads")
				|| path.startsWith("/api/v1/uploads/");
	}

	/** A bulk import of associations: a CSV file of bounded size, streamed (the API's and the console's). */
	static boolean isImport(String path) {
		return path.equals("/api/v1/associations/import") || path.equals("/console/associations/import");
	}

	/** The console's pages, which answer failures with a page rather than a problem document. */
	static boolean isConsolePage(String path) {
		return path.equals("/") || path.equals("/login") || path.equals("/logout") || path.equals("/console")
				|| path.startsWith("/console/");
	}

}
