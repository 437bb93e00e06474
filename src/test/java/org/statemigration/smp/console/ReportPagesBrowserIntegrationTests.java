package org.statemigration.smp.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.statemigration.smp.console.ConsoleClient.Page;
import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OperatorClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Reports page: who may open it and its downloads (over HTTP, with a console session), and in headless
 * Chromium its filters, sections and download links, checked against the API's report.
 */
@IntegrationTest
class ReportPagesBrowserIntegrationTests extends AdminApiTestSupport {

	static ChromeDriver browser;

	@BeforeAll
	static void startBrowser() {
		browser = Chromium.start();
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@BeforeEach
	void freshSession() {
		open("/login");
		browser.manage().deleteAllCookies();
	}

	@Test
	void everyRoleOpensTheReportAndItsDownloadsAndAnonymousIsSentToSignIn() {
		List<String> paths = List.of("/console/reports", "/console/reports/migration-status.csv",
				"/console/reports/migration-status.json?days=30");
		ConsoleClient anonymous = new ConsoleClient(this.server);
		for (String path : paths) {
			Page refused = anonymous.get(path);
			assertThat(refused.status()).as(path).isEqualTo(302);
			assertThat(refused.location()).startsWith("/login");
		}
		for (String role : List.of("ADMIN", "OSD_MANAGER", "RECOVERY_VIEWER", "AUDITOR")) {
			OperatorClient operator = this.admin.createOperator(unique("con-rpt-" + role).toLowerCase(Locale.ROOT),
					role);
			ConsoleClient console = ConsoleClient.signedIn(this.server, operator.username(), operator.password());
			for (String path : paths) {
				assertThat(console.get(path).status()).as("%s as %s", path, role).isEqualTo(200);
			}
			Page csv = console.get("/console/reports/migration-status.csv");
			assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
			assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment");
			assertThat(csv.body()).startsWith("id,sourceComputer,destinationComputer,");
			Page json = console.get("/console/reports/migration-status.json?days=30");
			assertThat(json.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
			assertThat(json.body()).contains("\"days\":30");
		}
	}

	@Test
	void anOperatorFiltersTheReportSeesItsSectionsAndDownloadsTheSameRows() throws IOException {
		String source = unique("CRPT-SRC");
		String waiting = this.admin.createAssociation(source, unique("CRPT-DST"), "CAPTURE_ALL_RESTORE_ALL");
		String failed = this.admin.createAssociation(source, unique("CRPT-DST"), "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient computer = this.server.computer(source);
		assertThat(computer.enroll(this.admin.enrollmentCode(source)).status()).isEqualTo(201);
		Grant capture = computer.request("CAPTURE");
		assertThat(capture.associationId()).isEqualTo(waiting);
		assertThat(computer.upload(capture.storeUrl(), capture.token(), new byte[3 * 1024 * 1024], null).status())
			.isEqualTo(201);
		assertThat(computer.release(capture.token(), true).status()).isEqualTo(200);
		Grant failing = computer.request("CAPTURE");
		assertThat(failing.associationId()).isEqualTo(failed);
		assertThat(computer.post("/api/v1/mp/release-state-store",
				Map.of("success", false, "message", "USMT exit code 27"), failing.token()).status()).isEqualTo(200);
		OperatorClient viewer = this.admin.createOperator(unique("con-rpt-view").toLowerCase(Locale.ROOT),
				"RECOVERY_VIEWER");

		signIn(viewer.username(), viewer.password());
		browser.findElement(By.linkText("Reports")).click();
		waitForHeading("Migration status");
		assertThat(browser.findElement(By.cssSelector("nav a[aria-current=page]")).getText()).isEqualTo("Reports");
		browser.findElement(By.id("computer")).sendKeys(source.toLowerCase(Locale.ROOT));
		WebElement days = browser.findElement(By.id("days"));
		days.clear();
		days.sendKeys("1");
		browser.findElement(By.xpath("//button[normalize-space()='Show the report']")).click();
		new WebDriverWait(browser, Duration.ofSeconds(10))
			.until(ExpectedConditions.textToBe(By.id("by-state"), "2 associations"));

		assertThat(rowText("states", "CAPTURED")).isEqualTo("CAPTURED 1");
		assertThat(rowText("states", "CAPTURING")).isEqualTo("CAPTURING 1");
		assertThat(rowText("ages", "under 1 day")).isEqualTo("under 1 day 2");
		String location = browser.findElement(By.cssSelector("#locations tbody tr")).getText();
		assertThat(location).contains("Folder").endsWith("1 3.0 MiB");
		assertThat(browser.findElement(By.id("waiting-heading")).getText())
			.isEqualTo("Waiting for a restore longer than 1 day (0)");
		assertThat(browser.findElement(By.id("failed-heading")).getText())
			.isEqualTo("Failed releases of the last 1 day (1)");
		String failure = browser.findElement(By.cssSelector("#failed tbody tr")).getText();
		assertThat(failure).contains(source, "Capture", "USMT exit code 27", "CAPTURING", "unresolved");
		assertThat(new Select(browser.findElement(By.id("state"))).getFirstSelectedOption().getText())
			.isEqualTo("Any state");

		// the downloads carry the filters shown, and answer what the API answers with them
		String csvHref = browser.findElement(By.id("download-csv")).getAttribute("href");
		assertThat(csvHref).contains("computer=" + source.toLowerCase(Locale.ROOT)).contains("days=1");
		String csv = fetch(csvHref);
		assertThat(csv).startsWith("text/csv");
		// the content type, the header and two rows (the script hands the text back with its line ends as LF)
		assertThat(csv.split("\r?\n")).hasSize(1 + 1 + 2).anyMatch((line) -> line.startsWith(waiting + ","))
			.anyMatch((line) -> line.startsWith(failed + ","));
		String json = fetch(browser.findElement(By.id("download-json")).getAttribute("href"));
		assertThat(json).startsWith("application/json").contains("\"total\":2");

		Path folder = Files.createDirectories(Path.of("target/console-screenshots"));
		// every section in one picture; the test server's storage folder lies in the build directory: the picture
		// shows where a real one would
		((JavascriptExecutor) browser).executeScript("""
				document.querySelectorAll('#locations td.mono').forEach(function (location) {
					location.textContent = '/var/lib/smp/stores';
				});""");
		browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1900));
		byte[] png = browser.getScreenshotAs(OutputType.BYTES);
		assertThat(png).isNotEmpty();
		Files.write(folder.resolve("reports.png"), png);
		browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 800));
	}

	@Test
	void theReportPageHasLabelsAndOneHeading() {
		signIn("admin", this.server.adminPassword());
		open("/console/reports?state=RESTORED&days=30");
		waitForHeading("Migration status");
		assertThat(((JavascriptExecutor) browser).executeScript("""
				return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
					.filter(function (field) { return field.labels.length === 0; }).length;""")).isEqualTo(0L);
		assertThat(browser.findElements(By.tagName("h1"))).hasSize(1);
		assertThat(new Select(browser.findElement(By.id("state"))).getFirstSelectedOption().getText())
			.isEqualTo("RESTORED");
		assertThat(browser.findElement(By.id("download-csv")).getAttribute("href")).contains("state=RESTORED");
		open("/console/reports?days=0");
		assertThat(browser.findElement(By.tagName("h1")).getText()).isNotEqualTo("Migration status");
	}

	/** The content type and the body of a GET in the page's session. */
	private static String fetch(String url) {
		return (String) ((JavascriptExecutor) browser).executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch(arguments[0]).then((r) => r.text().then((t) => done(r.headers.get('Content-Type') + '\\n' + t)));""",
				url);
	}

	private static String rowText(String table, String first) {
		return browser.findElement(By.xpath("//table[@id='" + table + "']//tr[td[1][normalize-space()='" + first + "']]"))
			.getText();
	}

	void open(String path) {
		browser.get(this.server.uri(path).toString());
	}

	void signIn(String username, String password) {
		open("/login");
		browser.findElement(By.id("username")).sendKeys(username);
		browser.findElement(By.id("password")).sendKeys(password);
		browser.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();
		new WebDriverWait(browser, Duration.ofSeconds(10)).until((driver) -> !driver.getCurrentUrl().endsWith("/login"));
	}

	static void waitForHeading(String text) {
		new WebDriverWait(browser, Duration.ofSeconds(10))
			.until(ExpectedConditions.textToBe(By.tagName("h1"), text));
	}

}
