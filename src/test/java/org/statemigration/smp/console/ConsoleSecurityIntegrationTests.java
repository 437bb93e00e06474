package org.statemigration.smp.console;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import org.statemigration.smp.admin.Role;
import org.statemigration.smp.console.ConsoleClient.Page;
import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's security, over real TLS as a browser without script would use it: every route against anonymous
 * visitors, each role and CSRF; the sign-in form with its lockout and audit; the session cookie and sign-out; the
 * browser headers.
 */
@IntegrationTest
@OnBothDatabases
class ConsoleSecurityIntegrationTests extends AdminApiTestSupport {

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
		assertThat(dashboard.body()).contains("<h1>Dashboard</h1>", "Storage folders", "Versions",
				"Associations by state", "Sign out")
			.doesNotContain("no longer configured");
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

	@Test
	void everyRouteAnswersItsRolesAndRefusesTheOthers() {
		Map<Role, ConsoleClient> consoles = new EnumMap<>(Role.class);
		consoles.put(Role.ADMIN, ConsoleClient.signedIn(this.server, "admin", this.server.adminPassword()));
		for (Role role : List.of(Role.OSD_MANAGER, Role.RECOVERY_VIEWER, Role.AUDITOR)) {
			OperatorClient api = this.admin.createOperator(ConsolePagesIntegrationTests.operator(role.name()),
					role.name());
			consoles.put(role,
					ConsoleClient.signedIn(this.server, api.username(), ConsolePagesIntegrationTests.password(api)));
		}
		ConsoleRoleMatrix.assertEveryRoute(this.server, ConsoleRoleMatrix.routes(this.admin, AdminApiTestSupport::unique),
				consoles);
		String manager = consoles.get(Role.OSD_MANAGER).username();
		assertThat(this.admin.get("/api/v1/audit?action=access.denied&actor=" + manager).json().path("total").asLong())
			.as("refusals of %s recorded", manager)
			.isPositive();
	}

	/**
	 * A console path that no page answers is the not-found page for every signed-in operator, ADMIN included, and
	 * is not audited; anonymous visitors are sent to the sign-in page as for any page. A real page that the role
	 * does not allow stays 403 and audited.
	 */
	@Test
	void unknownConsolePathsAreNotFoundAndNotAudited() {
		List<String> typos = List.of("/console/asociations", "/console/operator", "/console/computers/x/typo",
				"/console/settings/nothing");
		ConsoleClient anonymous = new ConsoleClient(this.server);
		Map<Role, ConsoleClient> consoles = new EnumMap<>(Role.class);
		for (Role role : Role.values()) {
			String name = unique("typo-" + role.name().toLowerCase(java.util.Locale.ROOT));
			OperatorClient operator = this.admin.createOperator(name, role.name());
			consoles.put(role, ConsoleClient.signedIn(this.server, name, operator.password()));
		}
		for (String typo : typos) {
			Page refused = anonymous.get(typo);
			assertThat(refused.status()).as("anonymous %s", typo).isEqualTo(302);
			assertThat(refused.location()).startsWith("/login");
			for (Role role : Role.values()) {
				Page page = consoles.get(role).get(typo);
				assertThat(page.status()).as("%s as %s", typo, role).isEqualTo(404);
				assertThat(page.body()).contains("Not found", "There is no such page.");
				Page posted = consoles.get(role).post(typo, Map.of());
				assertThat(posted.status()).as("POST %s as %s", typo, role).isEqualTo(404);
			}
			assertThat(this.admin.get("/api/v1/audit?action=access.denied&size=500").body()).doesNotContain(typo + "\"");
		}
		ConsoleClient auditor = consoles.get(Role.AUDITOR);
		assertThat(auditor.get("/console/operators").status()).isEqualTo(403);
		assertThat(this.admin.get("/api/v1/audit?action=access.denied&actor=" + auditor.username()).body())
			.contains("GET /console/operators");
	}

	@Test
	void signedInFormWithoutCsrfTokenIsRefusedAndChangesNothing() {
		ConsoleClient console = ConsoleClient.signedIn(this.server, "admin", this.server.adminPassword());
		String source = unique("CSRF-SRC");
		Page forged = console.postWithoutToken("/console/associations",
				Map.of("sourceComputer", source, "destinationComputer", unique("CSRF-DST"), "mode",
						"CAPTURE_ALL_RESTORE_ALL"));
		assertThat(forged.status()).isEqualTo(403);
		assertThat(this.admin.get("/api/v1/associations?computer=" + source).json().path("total").asLong()).isZero();
		Page forgedSignOut = console.postWithoutToken("/logout", Map.of());
		assertThat(forgedSignOut.status()).isEqualTo(403);
		assertThat(console.get("/console").status()).isEqualTo(200);
	}

	@Test
	void sessionCookieIsSecureHttpOnlyAndStrict() {
		ConsoleClient console = new ConsoleClient(this.server);
		Page signedIn = console.signIn("admin", this.server.adminPassword());
		String cookie = signedIn.header("Set-Cookie");
		assertThat(cookie).contains("JSESSIONID=", "Secure", "HttpOnly", "SameSite=Strict");
	}

	@Test
	void signOutEndsTheSessionAndIsRecorded() {
		OperatorClient auditor = this.admin.createOperator(ConsolePagesIntegrationTests.operator("leaving"), "AUDITOR");
		ConsoleClient console = ConsoleClient.signedIn(this.server, auditor.username(),
				ConsolePagesIntegrationTests.password(auditor));
		assertThat(this.admin.get("/api/v1/audit?action=sign-out&actor=" + auditor.username()).json().path("total")
			.asLong()).isZero();
		Page signedOut = console.post("/logout", Map.of());
		assertThat(signedOut.status()).isEqualTo(302);
		assertThat(signedOut.location()).isEqualTo("/login?signedOut");
		assertThat(console.get("/console").location()).startsWith("/login");
		JsonNode records = this.admin.get("/api/v1/audit?action=sign-out&actor=" + auditor.username()).json();
		assertThat(records.path("total").asLong()).isEqualTo(1);
		assertThat(records.path("items").get(0).path("target").asString()).isEqualTo(auditor.username());
		assertThat(records.path("items").get(0).path("outcome").asString()).isEqualTo("SUCCESS");
	}

	@Test
	void lockedAccountCannotSignInAndLooksLikeAnUnknownOne() {
		OperatorClient locked = this.admin.createOperator(ConsolePagesIntegrationTests.operator("locked"), "AUDITOR");
		String unknown = ConsolePagesIntegrationTests.operator("unknown");
		for (int attempt = 0; attempt < 5; attempt++) {
			assertThat(new ConsoleClient(this.server).signIn(locked.username(), "wrong-password-0123").location())
				.isEqualTo("/login?error");
		}
		ConsoleClient lockedBrowser = new ConsoleClient(this.server);
		Page refused = lockedBrowser.signIn(locked.username(), ConsolePagesIntegrationTests.password(locked));
		ConsoleClient strangerBrowser = new ConsoleClient(this.server);
		Page stranger = strangerBrowser.signIn(unknown, "wrong-password-0123");

		assertThat(refused.status()).isEqualTo(302);
		assertThat(refused.location()).isEqualTo("/login?error");
		assertThat(stranger.location()).isEqualTo(refused.location());
		assertThat(withoutToken(lockedBrowser.get("/login?error").body()))
			.isEqualTo(withoutToken(strangerBrowser.get("/login?error").body()))
			.contains("Sign-in failed.");
		assertThat(lockedBrowser.get("/console").location()).startsWith("/login");
		assertThat(this.admin.get("/api/v1/audit?action=sign-in&actor=anonymous").body())
			.contains("\"target\":\"" + locked.username() + "\"", "FAILURE");
	}

	@Test
	void signInThroughTheFormIsRecordedInTheAuditLog() {
		OperatorClient auditor = this.admin.createOperator(ConsolePagesIntegrationTests.operator("signin"), "AUDITOR");
		ConsoleClient.signedIn(this.server, auditor.username(), ConsolePagesIntegrationTests.password(auditor));
		assertThat(this.admin.get("/api/v1/audit?action=sign-in&actor=" + auditor.username()).body())
			.contains("SUCCESS");
	}

	private static String withoutToken(String page) {
		return page.replaceAll("name=\"_csrf\" value=\"[^\"]+\"", "");
	}

}
