package org.statemigration.smp.console.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The console's icon at {@code /favicon.ico}, where browsers look for one on any page of the server (the console's
 * pages also link it under {@code /console/assets/}). Anonymous, like the console's other assets; written whatever
 * the request accepts, as browsers ask for icons with all sorts of {@code Accept} headers.
 */
@Controller
class FaviconController {

	private static final byte[] ICON = load("static/console/assets/favicon.ico");

	@GetMapping("/favicon.ico")
	void icon(HttpServletResponse response) throws IOException {
		response.setContentType("image/x-icon");
		response.setHeader("Cache-Control", "max-age=86400, public");
		response.setContentLength(ICON.length);
		response.getOutputStream().write(ICON);
	}

	private static byte[] load(String path) {
		try (InputStream in = new ClassPathResource(path).getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
