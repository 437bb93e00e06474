package org.statemigration.smp.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OperatorClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser (headless Chromium), walked as operators would: one browser for the class, a
 * fresh session for each test. The outcomes are checked through the admin API.
 */
@IntegrationTest
class ConsoleBrowserIntegrationTests extends AdminApiTestSupport {

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
	void administratorSignsInSeesTheDashboardAndSignsOut() {
		signIn("admin", this.server.adminPassword());
		assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Dashboard");
		assertThat(browser.findElement(By.id("storage-heading")).getText()).isEqualTo("Storage folders");
		assertThat(browser.findElements(By.cssSelector("svg.bar"))).isNotEmpty();
		// every size in binary units, the space kept free too
		assertThat(browser.findElement(By.cssSelector("ul.legend")).getText())
			.containsPattern("Kept free [0-9]+(\\.[0-9])? (B|KiB|MiB|GiB|TiB)");
		// the browser's request for the icon is answered with one, not with a refusal
		Object icon = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
				+ "fetch('/favicon.ico').then((r) => done(r.status + ' ' + r.headers.get('Content-Type')));");
		assertThat(icon).isEqualTo("200 image/x-icon");
		// the stylesheet was allowed by the page's policy and applied
		assertThat(browser.findElement(By.cssSelector("header.top")).getCssValue("background-color"))
			.isEqualTo("rgba(20, 32, 46, 1)");

		click("Sign out");

		waitForUrlEnding("/login?signedOut");
		assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).isEqualTo("You have signed out.");
		open("/console");
		assertThat(browser.getCurrentUrl()).contains("/login");
	}

	@Test
	void theDashboardShowsTheLatestCaptureAndRestoreWithTheirComputersAndSize() {
		Captured captured = captured(new byte[300 * 1024]);
		ComputerClient.Grant restore = captured.destination().request("RESTORE");
		assertThat(captured.destination().release(restore.token(), true).status()).isEqualTo(200);

		signIn("admin", this.server.adminPassword());
		waitForHeading("Dashboard");

		String activity = browser.findElement(By.cssSelector("section[aria-labelledby=recent-heading] table")).getText();
		assertThat(activity).contains(
				"capture.complete " + captured.associationId() + " SUCCESS Captured 300.0 KiB from "
						+ captured.source().name() + " for " + captured.destination().name(),
				"restore.confirm " + captured.associationId() + " SUCCESS Restored 300.0 KiB from "
						+ captured.source().name() + " onto " + captured.destination().name(),
				captured.source().name(), captured.destination().name());
	}

	/**
	 * An administrator resets an operator's password on the Operators page and reads the temporary password; the
	 * operator signs in with it, is held on the password page until a new one is chosen, then signs in with that.
	 */
	@Test
	void resetPasswordIsChangedAtTheNextSignIn() {
		OperatorClient auditor = this.admin.createOperator(ConsolePagesIntegrationTests.operator("b-reset"), "AUDITOR");
		signIn("admin", this.server.adminPassword());
		open("/console/operators");
		click("Reset the password of " + auditor.username());
		waitForHeading("Password of " + auditor.username() + " reset");
		String temporary = browser.findElement(By.id("temporary-password")).getText();
		assertThat(temporary).matches("[A-Za-z2-9]{20}");
		click("Sign out");
		waitForUrlEnding("/login?signedOut");

		signIn(auditor.username(), temporary);
		waitForHeading("Change your password");
		assertThat(browser.findElement(By.cssSelector("p.warning")).getText())
			.startsWith("An administrator reset your password.");
		open("/console/associations");
		waitForHeading("Change your password");
		browser.findElement(By.id("current-password")).sendKeys(temporary);
		browser.findElement(By.id("new-password")).sendKeys("my-own-new-password");
		browser.findElement(By.id("repeat-password")).sendKeys("my-own-new-password");
		click("Change password");
		waitForUrlEnding("/login?passwordChanged");
		assertThat(browser.findElement(By.cssSelector("[role=status]")).getText())
			.startsWith("Your password was changed");

		signIn(auditor.username(), "my-own-new-password");
		waitForHeading("Dashboard");
		open("/console/audit-log");
		waitForHeading("Not found");
		assertThat(this.admin.get("/api/v1/audit?action=access.denied&actor=" + auditor.username()).body())
			.doesNotContain("/console/audit-log");
	}

	@Test
	void wrongPasswordIsRefusedWithoutSayingWhy() {
		signIn("admin", "not-the-password-0123");
		assertThat(browser.getCurrentUrl()).endsWith("/login?error");
		assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).startsWith("Sign-in failed.");
	}

	@Test
	void osdManagerCreatesAnAssociationIssuesAnEnrollmentCodeAndIsNotOfferedTheKey() {
		OperatorClient manager = this.admin.createOperator(ConsolePagesIntegrationTests.operator("b-osd"),
				"OSD_MANAGER");
		String source = unique("WEB-SRC");
		String destination = unique("WEB-DST");
		signIn(manager.username(), ConsolePagesIntegrationTests.password(manager));

		browser.findElement(By.linkText("Associations")).click();
		browser.findElement(By.linkText("Create an association")).click();
		browser.findElement(By.id("sourceComputer")).sendKeys(source);
		browser.findElement(By.id("destinationComputer")).sendKeys(destination);
		// the API's default mode is the form's
		assertThat(new Select(browser.findElement(By.id("mode"))).getFirstSelectedOption().getText())
			.isEqualTo("Capture and restore the accounts below");
		browser.findElement(By.id("accounts")).sendKeys("CONTOSO\\alice");
		click("Create association");

		waitForHeading("Association " + source + " → " + destination);
		assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).startsWith("Association created");
		assertThat(browser.getPageSource()).doesNotContain("Show recovery information");
		assertThat(browser.findElement(By.cssSelector("dl.facts")).getText()).contains("Side by side",
				"Capture and restore the accounts listed: CONTOSO\\alice").doesNotContain("SIDE_BY_SIDE");
		String id = browser.getCurrentUrl().replaceFirst(".*/console/associations/", "");
		assertThat(this.admin.association(id).path("createdBy").asString()).isEqualTo(manager.username());

		forgeRecoveryRequest(id);
		waitForHeading("Not allowed");
		assertThat(browser.getPageSource()).doesNotContain("encryption-key");
		assertThat(this.admin.get("/api/v1/audit?action=access.denied&actor=" + manager.username()).body())
			.contains(id + "/recovery-information");

		open("/console/associations/" + id);
		browser.findElement(By.linkText(source)).click();
		click("Issue an enrollment code");
		waitForHeading("Enrollment code for " + source);
		String code = browser.findElement(By.id("enrollment-code")).getText();
		assertThat(code).matches("[A-Z2-9]{5}(-[A-Z2-9]{5}){3}");
		assertThat(browser.findElement(By.id("enrollment-code-expiry")).getText()).endsWith("UTC");
		assertThat(browser.findElement(By.xpath("//button[text()='Copy the enrollment code']")).isDisplayed()).isTrue();
		assertThat(this.server.computer(source).enroll(code).status()).isEqualTo(201);
	}

	@Test
	void recoveryViewerRevealsTheKeyWithAReason() {
		String id = this.admin.createAssociation(unique("WEB-RSRC"), unique("WEB-RDST"), "CAPTURE_ALL_RESTORE_ALL");
		OperatorClient viewer = this.admin.createOperator(ConsolePagesIntegrationTests.operator("b-viewer"),
				"RECOVERY_VIEWER");
		String key = viewer.post("/api/v1/associations/" + id + "/recovery-information",
				Map.of("reason", "ticket 5001 reference key")).json().path("encryptionKey").asString();
		signIn(viewer.username(), ConsolePagesIntegrationTests.password(viewer));

		open("/console/associations/" + id);
		assertThat(browser.getPageSource()).doesNotContain("Delete this association");
		browser.findElement(By.id("recovery-reason")).sendKeys("ticket 5002 destination disk replaced");
		click("Show recovery information");

		waitForHeading("Recovery information");
		assertThat(browser.getCurrentUrl()).doesNotContain(key).endsWith("/recovery-information");
		assertThat(browser.findElement(By.id("encryption-key")).getText()).isEqualTo(key);
		assertThat(browser.findElement(By.xpath("//button[text()='Copy the encryption key']")).isDisplayed()).isTrue();
		assertThat(this.admin.get("/api/v1/audit?action=recovery-information.view&actor=" + viewer.username()).body())
			.contains("ticket 5002 destination disk replaced");
	}

	@Test
	void osdManagerBlocksACertificate() {
		ComputerClient computer = enrolledComputer("WEB-BLK");
		OperatorClient manager = this.admin.createOperator(ConsolePagesIntegrationTests.operator("b-block"),
				"OSD_MANAGER");
		signIn(manager.username(), ConsolePagesIntegrationTests.password(manager));

		browser.findElement(By.linkText("Computers")).click();
		browser.findElement(By.id("name")).sendKeys(computer.name());
		click("Search computers");
		browser.findElement(By.cssSelector("a[aria-label='Details of " + computer.name() + "']")).click();
		browser.findElement(By.id("reason-" + computer.serial())).sendKeys("reported stolen");
		browser.findElement(By.cssSelector("button[aria-label='Block certificate " + computer.serial() + "']")).click();

		waitForHeading("Computer " + computer.name());
		assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).contains("is blocked");
		assertThat(browser.getPageSource()).contains("reported stolen");
		assertThat(computer.requestStateStore("CAPTURE").status()).isEqualTo(403);
	}

	@Test
	void administratorChangesTheDeletionPolicySeesItAuditedAndVerifiesTheChain() {
		signIn("admin", this.server.adminPassword());
		try {
			browser.findElement(By.linkText("Settings")).click();
			assertThat(browser.findElement(By.id("deleteAfter-warning")).getText())
				.startsWith("Do not delete immediately.");
			// the largest store as it can be typed back, not in bytes
			assertThat(browser.findElement(By.id("maxStoreSize")).getDomProperty("value")).matches("[0-9]+([KMGT]B)?")
				.satisfies((value) -> assertThat(org.springframework.util.unit.DataSize.parse(value).toBytes())
					.isEqualTo(this.admin.get("/api/v1/settings").json().path("maxStoreSizeBytes").asLong()));
			WebElement deleteAfter = browser.findElement(By.id("deleteAfter"));
			deleteAfter.clear();
			deleteAfter.sendKeys("P3D");
			click("Save settings");
			assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).contains("P3D (3 days)");
			assertThat(this.admin.get("/api/v1/settings").json().path("deleteAfter").asString()).isEqualTo("PT72H");

			browser.findElement(By.linkText("Audit")).click();
			browser.findElement(By.id("action")).sendKeys("settings.update");
			click("Filter the audit log");
			new WebDriverWait(browser, Duration.ofSeconds(10))
				.until((driver) -> driver.getCurrentUrl().contains("action=settings.update"));
			assertThat(browser.findElement(By.cssSelector("tbody tr")).getText()).contains("admin", "settings.update",
					"deleteAfter=PT72H");
			click("Verify the audit chain");
			// a GET form without fields ends its address with "?"
			new WebDriverWait(browser, Duration.ofSeconds(10))
				.until((driver) -> driver.getCurrentUrl().contains("/console/audit/verify"));
			assertThat(browser.findElement(By.id("verification")).getText()).startsWith("The chain is intact");
			click("Sign out");
			waitForUrlEnding("/login?signedOut");
		}
		finally {
			this.admin.patch("/api/v1/settings", Map.of("deleteAfter", "P1D"));
		}
	}

	@Test
	void operatorSignsInWithTheKeyboardAlone() {
		open("/login");
		browser.switchTo().activeElement().sendKeys("admin" + Keys.TAB);
		browser.switchTo().activeElement().sendKeys(this.server.adminPassword() + Keys.ENTER);
		waitForUrlEnding("/console");

		new Actions(browser).sendKeys(Keys.TAB).perform();
		assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Skip to content");
		new Actions(browser).sendKeys(Keys.TAB, Keys.TAB, Keys.TAB, Keys.ENTER).perform();
		waitForHeading("Associations");
	}

	@Test
	void everyFieldHasALabelEveryButtonANameAndEveryPageOneHeading() {
		String id = this.admin.createAssociation(unique("A11Y-SRC"), unique("A11Y-DST"), "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient computer = enrolledComputer("A11Y-PC");
		signIn("admin", this.server.adminPassword());
		for (String path : new String[] { "/console", "/console/associations", "/console/associations/new",
				"/console/associations/" + id, "/console/associations/" + id + "/delete", "/console/computers",
				"/console/computers/" + computer.name(), "/console/settings", "/console/operators",
				"/console/audit" }) {
			open(path);
			assertThat(browser.executeScript("""
					return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
						.filter(function (field) { return field.labels.length === 0; })
						.map(function (field) { return field.name; });""")).as("fields without a label on %s", path)
				.asList()
				.isEmpty();
			assertThat(browser.executeScript("""
					return Array.from(document.querySelectorAll('button'))
						.filter(function (b) { return !b.textContent.trim() && !b.getAttribute('aria-label'); }).length;"""))
				.as("buttons without a name on %s", path)
				.isEqualTo(0L);
			assertThat(browser.findElements(By.tagName("h1"))).as("h1 on %s", path).hasSize(1);
		}
	}

	/**
	 * Screenshots of the main pages, 1280x800, for the documentation: {@code target/console-screenshots/*.png}.
	 */
	@Test
	void takesScreenshotsOfTheMainPages() throws IOException {
		Captured captured = captured(new byte[256 * 1024]);
		String source = this.admin.association(captured.associationId()).path("sourceComputer").asString();
		String refreshed = unique("LAB-PC");
		this.admin.createAssociation(refreshed, refreshed, "CAPTURE_ALL_RESTORE_ALL");
		this.admin.createAssociation(unique("HR-OLD"), unique("HR-NEW"), "CAPTURE_SPECIFIED_RESTORE_SPECIFIED",
				"CONTOSO\\maria");
		Path folder = Files.createDirectories(Path.of("target/console-screenshots"));
		signIn("admin", this.server.adminPassword());

		open("/console");
		// the test server's storage folder lies in the build directory: the pictures show where a real one would
		browser.executeScript("""
				document.querySelectorAll('.folder h3 code').forEach(function (location) {
					location.textContent = '/var/lib/smp/stores';
				});""");
		screenshot(folder, "dashboard");
		screenshot(folder, "associations", "/console/associations");
		screenshot(folder, "association", "/console/associations/" + captured.associationId());
		browser.executeScript("document.getElementById('hold-heading').scrollIntoView();");
		screenshot(folder, "association-recovery");
		screenshot(folder, "computers", "/console/computers");
		screenshot(folder, "computer", "/console/computers/" + source);
		screenshot(folder, "settings", "/console/settings");
		screenshot(folder, "audit", "/console/audit/verify");

		try (var shots = Files.list(folder)) {
			assertThat(shots.filter((f) -> f.toString().endsWith(".png")).count()).isGreaterThanOrEqualTo(8);
		}
	}

	private void screenshot(Path folder, String name, String path) throws IOException {
		open(path);
		screenshot(folder, name);
	}

	private void screenshot(Path folder, String name) throws IOException {
		byte[] png = browser.getScreenshotAs(OutputType.BYTES);
		assertThat(png).as("screenshot %s", name).isNotEmpty();
		Files.write(folder.resolve(name + ".png"), png);
	}

	/** What a hand-made form would post: the session's own CSRF token, to an action the role does not allow. */
	private void forgeRecoveryRequest(String id) {
		browser.executeScript("""
				var form = document.createElement('form');
				form.method = 'post';
				form.action = '/console/associations/' + arguments[0] + '/recovery-information';
				var token = document.querySelector('input[name=_csrf]').cloneNode();
				var reason = document.createElement('input');
				reason.name = 'reason';
				reason.value = 'ticket 5003 trying without the role';
				form.append(token, reason);
				document.body.append(form);
				form.submit();""", id);
	}

	void open(String path) {
		browser.get(this.server.uri(path).toString());
	}

	void signIn(String username, String password) {
		open("/login");
		browser.findElement(By.id("username")).sendKeys(username);
		browser.findElement(By.id("password")).sendKeys(password);
		click("Sign in");
		// the form posts and the browser follows the redirect: to the console, or back with ?error
		new WebDriverWait(browser, Duration.ofSeconds(10)).until((driver) -> !driver.getCurrentUrl().endsWith("/login"));
	}

	static void click(String buttonText) {
		browser.findElement(By.xpath("//button[normalize-space()='" + buttonText + "']")).click();
	}

	static void waitForUrlEnding(String end) {
		new WebDriverWait(browser, Duration.ofSeconds(10)).until((driver) -> driver.getCurrentUrl().endsWith(end));
	}

	static void waitForHeading(String text) {
		new WebDriverWait(browser, Duration.ofSeconds(10))
			.until(ExpectedConditions.textToBe(By.tagName("h1"), text));
	}

}
