package org.statemigration.smp.console;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ProviderTest;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;
import org.statemigration.testprovider.TestOpenIdProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators sign in to the console with a real OpenID provider ({@link TestOpenIdProvider}: Spring Authorization
 * Server in a process of its own) in headless Chromium, against the packaged server in a process of its own with
 * {@code smp.oidc.*} set. The server starts while the provider is still down (its first test), which must leave it
 * starting and local sign-in working; the provider is started after that, on the port the server was told. Of the
 * local accounts, only {@code admin} may sign in ({@code smp.oidc.local-accounts}). The admin API takes the
 * provider's access tokens for the audience {@link TestOpenIdProvider#API_AUDIENCE}, fetched with the
 * client-credentials grant.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ProviderTest
class ProviderSignInIntegrationTests {

	private static final String PROVIDER = "Test Provider";

	private static int providerPort;

	private static ServerProcess process;

	private static TestServer server;

	private static TestOpenIdProvider provider;

	private ChromeDriver browser;

	@BeforeAll
	static void startTheServerWithTheProviderDown() throws Exception {
		int port = ServerProcess.freePort();
		providerPort = ServerProcess.freePort();
		Path dataDir = Path.of("target", "provider-sign-in-" + port);
		process = ServerProcess.start(dataDir, "384m", "--server.port=" + port, "--smp.oidc.enabled=true",
				"--smp.oidc.issuer-uri=http://127.0.0.1:" + providerPort,
				"--smp.oidc.client-id=" + TestOpenIdProvider.CONSOLE_CLIENT_ID,
				"--smp.oidc.client-secret=" + TestOpenIdProvider.CONSOLE_CLIENT_SECRET,
				"--smp.oidc.display-name=" + PROVIDER, "--smp.oidc.role-mapping[smp-admins]=ADMIN",
				"--smp.oidc.role-mapping[smp-auditors]=AUDITOR,RECOVERY_VIEWER",
				"--smp.oidc.discovery-timeout=PT3S", "--smp.oidc.local-accounts=admin",
				"--smp.oidc.api-audience=" + TestOpenIdProvider.API_AUDIENCE, "--smp.oidc.clock-skew=PT0S");
		server = process.client();
	}

	@AfterAll
	static void stop() throws Exception {
		if (provider != null) {
			provider.close();
		}
		if (process != null) {
			process.close();
		}
	}

	@BeforeEach
	void startBrowser() {
		this.browser = Chromium.start();
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	/** The provider, started once the first test has seen the server without it. */
	private static TestOpenIdProvider provider() throws Exception {
		if (provider == null) {
			provider = TestOpenIdProvider.start(providerPort,
					server.uri("/login/oauth2/code/oidc").toString());
		}
		return provider;
	}

	@Test
	@Order(1)
	void whileTheProviderIsDownTheServerRunsAndLocalSignInWorks() {
		open("/login");
		assertThat(this.browser.findElement(By.id("sign-in-with-provider")).getText())
			.isEqualTo("Sign in with " + PROVIDER);

		this.browser.findElement(By.id("sign-in-with-provider")).click();

		waitForUrlEnding("/login?providerUnavailable");
		assertThat(this.browser.findElement(By.cssSelector("[role=alert]")).getText())
			.startsWith(PROVIDER + " cannot be reached now.");
		signInLocally("admin", server.adminPassword());
		waitForUrlEnding("/console");
		assertThat(this.browser.findElement(By.tagName("h1")).getText()).isEqualTo("Dashboard");
		assertThat(this.browser.findElement(By.cssSelector(".who")).getText()).isEqualTo("admin");
		assertThat(this.browser.findElements(By.linkText("Password"))).hasSize(1);
	}

	@Test
	@Order(2)
	void anAdministratorSignsInWithTheProviderAndGetsTheMappedRole() throws Exception {
		provider();

		signInWithProvider("alice");

		waitForUrlEnding("/console");
		assertThat(this.browser.findElement(By.tagName("h1")).getText()).isEqualTo("Dashboard");
		assertThat(this.browser.findElement(By.cssSelector(".who")).getText()).isEqualTo("oidc:alice");
		assertThat(this.browser.findElements(By.linkText("Operators"))).hasSize(1);
		assertThat(this.browser.findElements(By.linkText("Settings"))).hasSize(1);
		// a provider's operator has no password in smp
		assertThat(this.browser.findElements(By.linkText("Password"))).isEmpty();
		open("/console/settings");
		assertThat(this.browser.findElement(By.tagName("h1")).getText()).isEqualTo("Settings");
		// the operators list shows who signed in with the provider, apart from the local accounts
		open("/console/operators");
		assertThat(this.browser.findElement(By.id("provider-operators-heading")).getText())
			.isEqualTo("Signed in with " + PROVIDER);
		assertThat(this.browser.findElement(By.cssSelector("#provider-operators tbody tr")).getText())
			.startsWith("oidc:alice alice " + provider().issuer() + " ADMIN");

		JsonNode signIn = lastSignIn("oidc:alice");
		assertThat(signIn.path("outcome").asString()).isEqualTo("SUCCESS");
		assertThat(signIn.path("target").asString()).isEqualTo("oidc:alice");
		assertThat(signIn.path("detail").asString()).contains("with " + PROVIDER + " (" + provider().issuer() + ")")
			.contains("subject alice")
			.endsWith("roles ADMIN");
	}

	@Test
	@Order(3)
	void anotherGroupGivesOtherRolesAndTheRulesHoldForThem() throws Exception {
		provider();

		signInWithProvider("bob");

		waitForUrlEnding("/console");
		assertThat(this.browser.findElement(By.cssSelector(".who")).getText()).isEqualTo("oidc:bob");
		assertThat(this.browser.findElements(By.linkText("Audit"))).hasSize(1);
		assertThat(this.browser.findElements(By.linkText("Settings"))).isEmpty();
		open("/console/audit");
		assertThat(this.browser.findElement(By.tagName("h1")).getText()).isEqualTo("Audit log");
		open("/console/settings");
		assertThat(this.browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");

		assertThat(lastSignIn("oidc:bob").path("detail").asString()).endsWith("roles AUDITOR, RECOVERY_VIEWER");
		JsonNode denied = server.admin().get("/api/v1/audit?actor=oidc:bob&action=access.denied").json();
		assertThat(denied.path("items").get(0).path("target").asString()).isEqualTo("GET /console/settings");
	}

	@Test
	@Order(4)
	void aUserInNoMappedGroupIsRefusedAndTheRefusalRecorded() throws Exception {
		provider();

		signInWithProvider("carol");

		waitForUrlEnding("/login?providerRefused");
		assertThat(this.browser.findElement(By.cssSelector("[role=alert]")).getText())
			.startsWith("You signed in with " + PROVIDER + ", but your account there has no role in smp.");
		open("/console");
		assertThat(this.browser.getCurrentUrl()).endsWith("/login");

		JsonNode refusals = server.admin().get("/api/v1/audit?action=sign-in&actor=anonymous").json();
		List<String> carol = new ArrayList<>();
		refusals.path("items").forEach((event) -> {
			if ("oidc:carol".equals(event.path("target").asString())) {
				assertThat(event.path("outcome").asString()).isEqualTo("DENIED");
				carol.add(event.path("detail").asString());
			}
		});
		assertThat(carol).singleElement()
			.asString()
			.contains("subject carol")
			.contains("no role of smp in the claim groups [marketing]");
	}

	@Test
	@Order(5)
	void theCallbackWithoutTheSignInsStateIsRefused() throws Exception {
		provider();
		// a provider's answer that no sign-in of this browser asked for: no session, no state, no verifier
		HttpClient http = HttpClient.newBuilder()
			.sslContext(server.trustingContext())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		HttpResponse<String> response = http.send(HttpRequest
			.newBuilder(server.uri("/login/oauth2/code/oidc?code=made-up&state=made-up&same-site"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login?providerFailed");
		assertThat(lastSignIn("anonymous").path("detail").asString()).contains("authorization_request_not_found");
	}

	@Test
	@Order(6)
	void localAccountsNotNamedAsBreakGlassCannotSignIn() {
		OperatorClient other = server.admin().createOperator("osd-local", "OSD_MANAGER");
		assertThat(server.admin().get("/api/v1/associations").status()).isEqualTo(200);

		// refused as a wrong password is, on the API and on the console
		assertThat(other.get("/api/v1/associations").status()).isEqualTo(401);
		open("/login");
		signInLocally(other.username(), other.password());
		waitForUrlEnding("/login?error");
		JsonNode failure = lastSignIn("anonymous");
		assertThat(failure.path("target").asString()).isEqualTo("osd-local");
		assertThat(failure.path("outcome").asString()).isEqualTo("FAILURE");
	}

	@Test
	@Order(7)
	void theApiTakesTheProvidersAccessTokensWithTheMappedRoles() throws Exception {
		String token = provider().clientCredentialsToken();

		assertThat(bearer("GET", "/api/v1/audit", token).statusCode()).isEqualTo(200);
		assertThat(bearer("GET", "/api/v1/associations", token).statusCode()).isEqualTo(200);
		// AUDITOR and RECOVERY_VIEWER (smp-auditors): neither creates associations nor manages operators
		HttpResponse<String> create = bearer("POST", "/api/v1/associations", token);
		assertThat(create.statusCode()).isEqualTo(403);
		assertThat(create.body()).contains("urn:smp:problem:forbidden");
		assertThat(bearer("GET", "/api/v1/admins", token).statusCode()).isEqualTo(403);

		JsonNode denied = server.admin().get("/api/v1/audit?actor=oidc:smp-automation&action=access.denied").json();
		assertThat(denied.path("items").get(0).path("target").asString()).isEqualTo("GET /api/v1/admins");
		assertThat(lastSignIn("oidc:smp-automation").path("outcome").asString()).isEqualTo("SUCCESS");
	}

	@Test
	@Order(8)
	void tamperedExpiredForeignAndOtherAudienceTokensAreRefused() throws Exception {
		String token = provider().clientCredentialsToken();
		String[] parts = token.split("\\.");
		String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		assertThat(claims).contains("smp-auditors");
		String tampered = parts[0] + "." + Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(claims.replace("smp-auditors", "smp-admins").getBytes(StandardCharsets.UTF_8)) + "."
				+ parts[2];
		assertRefused(tampered);

		assertRefused(provider().clientCredentialsToken(TestOpenIdProvider.OTHER_CLIENT_ID));

		String shortLived = provider().clientCredentialsToken(TestOpenIdProvider.SHORT_LIVED_CLIENT_ID);
		assertThat(bearer("GET", "/api/v1/audit", shortLived).statusCode()).isEqualTo(200);
		Thread.sleep(3000);
		assertRefused(shortLived);

		// a real provider's token for the same audience, but another issuer (and other keys)
		try (TestOpenIdProvider foreign = TestOpenIdProvider.start(ServerProcess.freePort(),
				server.uri("/login/oauth2/code/oidc").toString())) {
			assertRefused(foreign.clientCredentialsToken());
		}

		// a token in no mapped group: refused, and the refusal recorded
		assertRefused(provider().clientCredentialsToken(TestOpenIdProvider.UNMAPPED_CLIENT_ID));
		JsonNode refusal = lastSignIn("anonymous");
		assertThat(refusal.path("outcome").asString()).isEqualTo("DENIED");
		assertThat(refusal.path("target").asString()).isEqualTo("oidc:" + TestOpenIdProvider.UNMAPPED_CLIENT_ID);
		assertThat(refusal.path("detail").asString()).contains("no role of smp in the claim groups [marketing]");

		// not a token at all: refused, and neither recorded under that name nor counted against a local account,
		// however often (admin would be locked after 5 wrong passwords)
		for (int i = 0; i < 6; i++) {
			assertRefused("admin");
		}
		JsonNode records = server.admin().get("/api/v1/audit?action=sign-in&actor=anonymous&size=500").json();
		records.path("items").forEach((event) -> assertThat(event.path("target").asString())
			.isNotIn("admin", tampered, shortLived, token));
		assertThat(server.admin().get("/api/v1/associations").status()).isEqualTo(200);
	}

	@Test
	@Order(9)
	void theAdminApiListsTheProvidersOperatorsApartAndChangesNothingOfTheirs() throws Exception {
		provider();
		JsonNode listed = server.admin().get("/api/v1/admins").json();
		JsonNode alice = null;
		for (JsonNode operator : listed) {
			if ("admin".equals(operator.path("username").asString())) {
				assertThat(operator.path("source").asString()).isEqualTo("LOCAL");
				assertThat(operator.has("enabled")).isTrue();
			}
			if ("oidc:alice".equals(operator.path("username").asString())) {
				alice = operator;
			}
		}
		assertThat(alice).isNotNull();
		assertThat(alice.path("source").asString()).isEqualTo("PROVIDER");
		assertThat(alice.path("subject").asString()).isEqualTo("alice");
		assertThat(alice.path("issuer").asString()).isEqualTo(provider().issuer());
		assertThat(alice.path("roles").values()).extracting(JsonNode::asString).containsExactly("ADMIN");
		assertThat(alice.path("lastSignInAt").asString()).isNotEmpty();
		assertThat(alice.propertyNames()).doesNotContain("enabled", "passwordChangeRequired", "password");

		// nothing of a local account to change: refused with a problem that says why
		OperatorClient admin = server.admin();
		Response changed = admin.patch("/api/v1/admins/oidc:alice", Map.of("enabled", false));
		assertProviderOperatorRefused(changed.status(), changed.body());
		Response reset = admin.post("/api/v1/admins/oidc:alice/password-reset", null);
		assertProviderOperatorRefused(reset.status(), reset.body());
		HttpResponse<String> own = bearer("POST", "/api/v1/me/password", provider().clientCredentialsToken(),
				"{\"currentPassword\": \"anything-at-all\", \"newPassword\": \"a-new-password-1\"}");
		assertProviderOperatorRefused(own.statusCode(), own.body());
		// alice is still listed as she was
		assertThat(server.admin().get("/api/v1/admins").body()).contains("oidc:alice");
	}

	@Test
	@Order(10)
	void aProviderOperatorHasNoPasswordPageAndSignsOutAtTheProviderToo() throws Exception {
		provider();
		signInWithProvider("alice");
		waitForUrlEnding("/console");

		open("/console/password");
		assertThat(this.browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
		JsonNode denied = server.admin().get("/api/v1/audit?actor=oidc:alice&action=access.denied").json();
		assertThat(denied.path("items").get(0).path("target").asString()).isEqualTo("GET /console/password");

		// the provider remembers the browser: signing in with it again asks for no password
		open("/oauth2/authorization/oidc");
		waitForUrlEnding("/console");
		assertThat(this.browser.findElement(By.cssSelector(".who")).getText()).isEqualTo("oidc:alice");

		this.browser.findElement(By.cssSelector("form.signout button")).click();

		// through the provider's end_session_endpoint and back to the sign-in page
		waitForUrlEnding("/login?signedOut");
		assertThat(this.browser.getCurrentUrl()).startsWith(server.uri("/login").toString());
		assertThat(this.browser.findElement(By.cssSelector("[role=status]")).getText()).isEqualTo("You have signed out.");
		open("/console");
		assertThat(this.browser.getCurrentUrl()).endsWith("/login");
		JsonNode signOut = server.admin().get("/api/v1/audit?action=sign-out&actor=oidc:alice").json();
		assertThat(signOut.path("total").asLong()).isEqualTo(1);
		assertThat(signOut.path("items").get(0).path("outcome").asString()).isEqualTo("SUCCESS");
		// the provider's session ended too: it asks for the password again
		this.browser.findElement(By.id("sign-in-with-provider")).click();
		new WebDriverWait(this.browser, Duration.ofSeconds(15))
			.until((driver) -> driver.getCurrentUrl().startsWith("http://127.0.0.1:" + providerPort + "/login"));
		assertThat(this.browser.findElements(By.id("password"))).hasSize(1);
	}

	private static void assertProviderOperatorRefused(int status, String body) {
		assertThat(status).isEqualTo(403);
		assertThat(body).contains("urn:smp:problem:forbidden").contains("signs in with the OpenID provider");
	}

	private static void assertRefused(String token) throws Exception {
		HttpResponse<String> response = bearer("GET", "/api/v1/audit", token);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("urn:smp:problem:unauthorized");
	}

	private static HttpResponse<String> bearer(String method, String path, String token) throws Exception {
		return bearer(method, path, token, "{\"sourceComputer\": \"OIDC-SRC\", \"destinationComputer\": "
				+ "\"OIDC-DST\", \"userAccounts\": {\"mode\": \"CAPTURE_ALL_RESTORE_ALL\"}}");
	}

	private static HttpResponse<String> bearer(String method, String path, String token, String json)
			throws Exception {
		HttpClient http = HttpClient.newBuilder().sslContext(server.trustingContext()).build();
		HttpRequest.BodyPublisher body = "POST".equals(method) ? HttpRequest.BodyPublishers.ofString(json)
				: HttpRequest.BodyPublishers.noBody();
		return http.send(HttpRequest.newBuilder(server.uri(path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.method(method, body)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private void signInWithProvider(String user) throws InterruptedException {
		String providerLogin = "http://127.0.0.1:" + providerPort + "/login";
		// the server tries a provider it found down again no sooner than 5 s after (OidcSignIn.RETRY_AFTER_FAILURE):
		// a provider that came up sooner than that after the first test's attempt is still refused for a moment
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			open("/login");
			this.browser.findElement(By.id("sign-in-with-provider")).click();
			new WebDriverWait(this.browser, Duration.ofSeconds(15)).until((driver) -> {
				String url = driver.getCurrentUrl();
				return url.startsWith(providerLogin) || url.endsWith("/login?providerUnavailable");
			});
			if (this.browser.getCurrentUrl().startsWith(providerLogin)) {
				break;
			}
			assertThat(System.nanoTime()).as("the provider is still reported unavailable").isLessThan(deadline);
			Thread.sleep(1000);
		}
		// the provider's own sign-in form
		this.browser.findElement(By.id("username")).sendKeys(user);
		this.browser.findElement(By.id("password")).sendKeys(TestOpenIdProvider.PASSWORD);
		this.browser.findElement(By.cssSelector("button[type=submit]")).click();
	}

	private void signInLocally(String username, String password) {
		this.browser.findElement(By.id("username")).sendKeys(username);
		this.browser.findElement(By.id("password")).sendKeys(password);
		this.browser.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();
	}

	private static JsonNode lastSignIn(String actor) {
		JsonNode page = server.admin().get("/api/v1/audit?action=sign-in&actor=" + actor).json();
		assertThat(page.path("items").size()).isPositive();
		return page.path("items").get(0);
	}

	private void open(String path) {
		this.browser.get(server.uri(path).toString());
	}

	private void waitForUrlEnding(String end) {
		new WebDriverWait(this.browser, Duration.ofSeconds(15)).until((driver) -> driver.getCurrentUrl().endsWith(end));
	}

}
