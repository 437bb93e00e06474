package org.statemigration.smp.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium and its chromedriver (Debian packages {@code chromium} and {@code chromium-driver}).
 * Where they are missing the browser tests are skipped with a warning, except on CI ({@code CI=true}), where they
 * fail.
 */
final class Chromium {

	static final Path BROWSER = Path.of(System.getenv().getOrDefault("SMP_TEST_CHROMIUM", "/usr/bin/chromium"));

	static final Path DRIVER = Path.of(System.getenv().getOrDefault("SMP_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));

	private Chromium() {
	}

	/** A fresh headless browser with its own profile, 1280x800, that accepts the test server's certificate. */
	static ChromeDriver start() {
		if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
			String message = "Chromium (" + BROWSER + ") or chromedriver (" + DRIVER + ") is missing";
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new IllegalStateException(message + "; CI must install chromium and chromium-driver");
			}
			System.err.println("WARNING: " + message + ": the console's browser tests are SKIPPED");
			Assumptions.abort(message);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BROWSER.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--ignore-certificate-errors", "--window-size=1280,800", "--user-data-dir=" + profile());
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		// an element of the next page is waited for while the browser follows a form's answer
		driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
		return driver;
	}

	private static String profile() {
		try {
			Path target = Path.of("target");
			Files.createDirectories(target);
			return Files.createTempDirectory(target, "chromium-profile-").toAbsolutePath().toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
