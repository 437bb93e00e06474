package org.statemigration.smp.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.H2IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser (headless Chromium), walked as an operator would: one browser for the class, a
 * fresh session for each test.
 */
@H2IntegrationTest
class ConsoleBrowserIntegrationTests extends AdminApiTestSupport {

	private static ChromeDriver browser;

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
		assertThat(browser.getTitle()).isEqualTo("Dashboard · smp console");
		assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Dashboard");
		assertThat(browser.findElement(By.id("storage-heading")).getText()).isEqualTo("Storage folders");

		browser.findElement(By.xpath("//button[text()='Sign out']")).click();

		assertThat(browser.getCurrentUrl()).endsWith("/login?signedOut");
		assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).isEqualTo("You have signed out.");
		open("/console");
		assertThat(browser.getCurrentUrl()).contains("/login");
	}

	@Test
	void wrongPasswordIsRefusedWithoutSayingWhy() {
		signIn("admin", "not-the-password-0123");
		assertThat(browser.getCurrentUrl()).endsWith("/login?error");
		assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).startsWith("Sign-in failed.");
	}

	static WebDriver browser() {
		return browser;
	}

	void open(String path) {
		browser.get(this.server.uri(path).toString());
	}

	void signIn(String username, String password) {
		open("/login");
		browser.findElement(By.id("username")).sendKeys(username);
		browser.findElement(By.id("password")).sendKeys(password);
		browser.findElement(By.xpath("//button[text()='Sign in']")).click();
	}

}
