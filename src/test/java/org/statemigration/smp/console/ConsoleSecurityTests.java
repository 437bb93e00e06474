package org.statemigration.smp.console;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.statemigration.smp.console.ConsoleClient.Page;
import org.statemigration.smp.support.AdminApiTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's sign-in, session and browser headers, over real TLS as a browser without script would use them.
 */
abstract class ConsoleSecurityTests extends AdminApiTestSupport {

	@Test
	void rootAndConsoleSendAnonymousVisitorsToTheSignInPage() {
		ConsoleClient anonymous = new ConsoleClient(this.server);
		Page root = anonymous.get("/");
		assertThat(root.status()).isEqualTo(302);
		assertThat(root.location()).startsWith("/login");
		Page console = anonymous.get("/console");
		assertThat(console.status()).isEqualTo(302);
		assertThat(console.location()).startsWith("/login");
	}

	@Test
	void signInPageHasLabelledFieldsAndACsrfToken() {
		Page login = new ConsoleClient(this.server).get("/login");
		assertThat(login.status()).isEqualTo(200);
		assertThat(login.body()).contains("<label for=\"username\">", "<label for=\"password\">",
				"name=\"_csrf\"", "Sign in</button>");
	}

	@Test
	void signedInAdministratorSeesTheDashboard() {
		ConsoleClient console = ConsoleClient.signedIn(this.server, "admin", this.server.adminPassword());
		Page dashboard = console.get("/console");
		assertThat(dashboard.status()).isEqualTo(200);
		assertThat(dashboard.body()).contains("<h1>Dashboard</h1>", "Storage folders", "Associations by state",
				"Sign out");
		assertThat(console.get("/").location()).isEqualTo("/console");
	}

	@Test
	void pagesSendAStrictContentSecurityPolicyAndTheOtherBrowserHeaders() {
		ConsoleClient console = ConsoleClient.signedIn(this.server, "admin", this.server.adminPassword());
		for (Page page : new Page[] { console.get("/console"), new ConsoleClient(this.server).get("/login") }) {
			String csp = page.header("Content-Security-Policy");
			assertThat(csp).contains("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
				.doesNotContain("unsafe-inline", "unsafe-eval");
			assertThat(page.header("Strict-Transport-Security")).startsWith("max-age=31536000");
			assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
			assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
			assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
			assertThat(page.header("Cache-Control")).contains("no-store");
		}
	}

	@Test
	void formWithoutCsrfTokenIsRefused() {
		ConsoleClient anonymous = new ConsoleClient(this.server);
		anonymous.get("/login");
		Page forged = anonymous.postWithoutToken("/login",
				Map.of("username", "admin", "password", this.server.adminPassword()));
		assertThat(forged.status()).isEqualTo(403);
	}

}
