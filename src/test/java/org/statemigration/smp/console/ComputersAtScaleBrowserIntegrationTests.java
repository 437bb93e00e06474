package org.statemigration.smp.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OperatorClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's pages for computers beyond their names, in a real browser (headless Chromium): a computer's SMBIOS
 * UUID and MAC addresses, on its page and on the new-association form; associations by the hundred from a CSV
 * file, checked then imported. The outcomes are checked through the admin API.
 */
@IntegrationTest
class ComputersAtScaleBrowserIntegrationTests extends AdminApiTestSupport {

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
	void osdManagerRecordsAComputersUuidAndMacAddressesAndIsToldOfAConflict() {
		String name = unique("WEB-ID");
		String other = unique("WEB-ID-O");
		this.admin.createAssociation(name, other, "CAPTURE_ALL_RESTORE_ALL");
		UUID taken = UUID.randomUUID();
		assertThat(this.admin.put("/api/v1/computers/" + other + "/identity", Map.of("smbiosGuid", taken.toString()))
			.status()).isEqualTo(200);
		OperatorClient manager = this.admin.createOperator(ConsolePagesIntegrationTests.operator("b-ident"),
				"OSD_MANAGER");
		signIn(manager.username(), ConsolePagesIntegrationTests.password(manager));
		UUID guid = UUID.randomUUID();

		open("/console/computers/" + name);
		browser.findElement(By.xpath("//summary[normalize-space()='Change the SMBIOS UUID and MAC addresses']")).click();
		browser.findElement(By.id("smbiosGuid")).sendKeys(guid.toString().toUpperCase());
		browser.findElement(By.id("macAddresses")).sendKeys((RUN_MAC + "-10-00-01\n" + RUN_MAC.replace("-", "") + "100002").toLowerCase());
		click("Save identity");

		waitForHeading("Computer " + name);
		assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).contains("are saved");
		assertThat(browser.findElement(By.cssSelector("dl.facts")).getText()).contains(guid.toString())
			.contains(mac("10:00:01") + ", " + mac("10:00:02"));
		JsonNode computer = this.admin.get("/api/v1/computers/" + name).json();
		assertThat(computer.path("smbiosGuid").asString()).isEqualTo(guid.toString());
		assertThat(computer.path("macAddresses").values()).extracting(JsonNode::asString)
			.containsExactly(mac("10:00:01"), mac("10:00:02"));

		browser.findElement(By.xpath("//summary[normalize-space()='Change the SMBIOS UUID and MAC addresses']")).click();
		browser.findElement(By.id("smbiosGuid")).clear();
		browser.findElement(By.id("smbiosGuid")).sendKeys(taken.toString());
		click("Save identity");

		waitForHeading("Computer " + name);
		assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).contains("belongs to computer " + other);
		assertThat(this.admin.get("/api/v1/computers/" + name).json().path("smbiosGuid").asString())
			.isEqualTo(guid.toString());
	}

	@Test
	void theNewAssociationFormTakesEachComputersIdentity() {
		String source = unique("WEB-IDS");
		String destination = unique("WEB-IDD");
		UUID guid = UUID.randomUUID();
		signIn("admin", this.server.adminPassword());

		open("/console/associations/new");
		browser.findElement(By.id("sourceComputer")).sendKeys(source);
		browser.findElement(By.id("destinationComputer")).sendKeys(destination);
		browser.findElement(By.xpath("//summary[normalize-space()='Hardware identity (optional)']")).click();
		browser.findElement(By.id("sourceSmbiosGuid")).sendKeys(guid.toString());
		browser.findElement(By.id("destinationMacAddresses")).sendKeys(mac("20:00:01"));
		new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("mode")))
			.selectByValue("CAPTURE_ALL_RESTORE_ALL");
		click("Create association");

		new WebDriverWait(browser, Duration.ofSeconds(10))
			.until(ExpectedConditions.urlMatches("/console/associations/[0-9a-f-]{36}$"));
		assertThat(this.admin.get("/api/v1/computers/" + source).json().path("smbiosGuid").asString())
			.isEqualTo(guid.toString());
		assertThat(this.admin.get("/api/v1/computers/" + destination).json().path("macAddresses").values())
			.extracting(JsonNode::asString)
			.isEqualTo(List.of(mac("20:00:01")));
	}

	@Test
	void osdManagerChecksAFileSeesEachBadLineThenImportsTheCorrectedFile() throws Exception {
		String p = unique("WEB-IMP");
		OperatorClient manager = this.admin.createOperator(ConsolePagesIntegrationTests.operator("b-import"),
				"OSD_MANAGER");
		Path bad = csv("bad", "sourceComputer,destinationComputer,userAccountMode,userAccounts,sourceMacAddresses\n"
				+ p + "-A," + p + "-A2,CAPTURE_ALL_RESTORE_ALL,,\n"
				+ p + "-B,not_a_name,CAPTURE_ALL_RESTORE_ALL,,\n"
				+ p + "-C," + p + "-C2,CAPTURE_SPECIFIED_RESTORE_SPECIFIED,,\n"
				+ p + "-D," + p + "-D2,CAPTURE_SPECIFIED_RESTORE_SPECIFIED,CONTOSO\\dora;eve," + mac("30:00:01") + "\n");
		Path good = csv("good", "sourceComputer,destinationComputer,userAccountMode,userAccounts,sourceMacAddresses\n"
				+ p + "-A," + p + "-A2,CAPTURE_ALL_RESTORE_ALL,,\n"
				+ p + "-B," + p + "-B2,CAPTURE_ALL_RESTORE_ALL,,\n"
				+ p + "-C," + p + "-C2,CAPTURE_SPECIFIED_RESTORE_SPECIFIED,CONTOSO\\carl,\n"
				+ p + "-D," + p + "-D2,CAPTURE_SPECIFIED_RESTORE_SPECIFIED,CONTOSO\\dora;eve," + mac("30:00:01") + "\n");
		signIn(manager.username(), ConsolePagesIntegrationTests.password(manager));

		open("/console/associations");
		browser.findElement(By.linkText("Import from a CSV file")).click();
		waitForHeading("Import associations");
		browser.findElement(By.id("file")).sendKeys(bad.toAbsolutePath().toString());
		click("Check the file");

		waitForHeading("Import associations");
		assertThat(browser.findElement(By.id("report-heading")).getText()).isEqualTo("The file has errors");
		assertThat(browser.findElement(By.id("report-error-count")).getText()).isEqualTo("2");
		List<String> lines = browser.findElements(By.cssSelector("#report-errors tbody tr td:first-child"))
			.stream()
			.map(org.openqa.selenium.WebElement::getText)
			.toList();
		assertThat(lines).containsExactly("3", "4");
		assertThat(browser.findElement(By.id("report-errors")).getText()).contains("destinationComputer")
			.contains("accounts");

		browser.findElement(By.id("file")).sendKeys(good.toAbsolutePath().toString());
		click("Check the file");
		waitForHeading("Import associations");
		assertThat(browser.findElement(By.id("report-heading")).getText()).isEqualTo("The file is clean");
		assertThat(browser.findElement(By.id("report-associations")).getText()).isEqualTo("4");
		assertThat(this.admin.get("/api/v1/computers/" + p + "-A").status()).isEqualTo(404);

		browser.findElement(By.id("file")).sendKeys(good.toAbsolutePath().toString());
		click("Import");
		waitForHeading("Import associations");
		assertThat(browser.findElement(By.id("report-heading")).getText()).isEqualTo("Imported");
		assertThat(browser.findElement(By.cssSelector("[role=status]")).getText())
			.isEqualTo("4 associations imported.");
		JsonNode d = this.admin.get("/api/v1/associations?computer=" + p + "-D").json().path("items").get(0);
		assertThat(d.path("userAccounts").path("accounts").values()).extracting(JsonNode::asString)
			.containsExactly("CONTOSO\\dora", "eve");
		assertThat(d.path("createdBy").asString()).isEqualTo(manager.username());
		assertThat(this.admin.get("/api/v1/computers/" + p + "-D").json().path("macAddresses").get(0).asString())
			.isEqualTo(mac("30:00:01"));
	}

	private static Path csv(String name, String content) throws java.io.IOException {
		Path folder = Files.createDirectories(Path.of("target", "import-files"));
		Path file = Files.createTempFile(folder, name + "-", ".csv");
		Files.writeString(file, content);
		return file;
	}

	/** Locally administered unicast addresses of this run: 02-xx-xx-... */
	private static final String RUN_MAC = String.format("02-%02X-%02X", (int) (Math.random() * 256),
			(int) (Math.random() * 256));

	private static String mac(String tail) {
		return RUN_MAC.replace('-', ':') + ":" + tail;
	}

	void open(String path) {
		browser.get(this.server.uri(path).toString());
	}

	void signIn(String username, String password) {
		open("/login");
		browser.findElement(By.id("username")).sendKeys(username);
		browser.findElement(By.id("password")).sendKeys(password);
		click("Sign in");
		new WebDriverWait(browser, Duration.ofSeconds(10)).until((driver) -> !driver.getCurrentUrl().endsWith("/login"));
	}

	static void click(String buttonText) {
		browser.findElement(By.xpath("//button[normalize-space()='" + buttonText + "']")).click();
	}

	static void waitForHeading(String text) {
		new WebDriverWait(browser, Duration.ofSeconds(10))
			.until(ExpectedConditions.textToBe(By.tagName("h1"), text));
	}

}
