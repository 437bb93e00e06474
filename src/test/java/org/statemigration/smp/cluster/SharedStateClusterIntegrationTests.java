package org.statemigration.smp.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.NeedsPostgres;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two servers, each the packaged jar in a process of its own with its own data dir (and its own server
 * certificate), started at the same moment on one fresh PostgreSQL database and sharing only the master key file:
 * what one knows, the other knows. They end with one client CA, and a computer enrolled on one is accepted by the
 * other; a console session opened on one works on the other, and signing out on one ends it on both; failed
 * sign-ins and failed enrollments spread over both add up to one lockout and one throttle. The tests run in order:
 * the enrollment throttle, which bars the test's own address, comes last.
 */
@ServerProcessTest
@NeedsPostgres
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedStateClusterIntegrationTests {

	private static final int MAX_FAILED_LOGINS = 4;

	private static final int MAX_ENROLLMENT_FAILURES = 4;

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final Pattern SESSION_COOKIE = Pattern.compile("JSESSIONID=([^;]+)");

	@TempDir
	static Path temp;

	private static ProcessDatabase database;

	private static ServerProcess first;

	private static ServerProcess second;

	private static TestServer a;

	private static TestServer b;

	private static String adminPassword;

	@BeforeAll
	static void startTwoServersAtOnceOnAnEmptyDatabase() throws Exception {
		database = ProcessDatabase.freshPostgres("smp_shared_state");
		Path firstDir = Files.createDirectories(temp.resolve("a"));
		Path secondDir = Files.createDirectories(temp.resolve("b"));
		// the master key file is the one thing the servers share outside the database, as a mounted secret would be
		Path masterKey = Files.createDirectories(temp.resolve("secrets")).resolve("master.key");
		org.statemigration.smp.crypto.KeyEncryptionKeys.loadOrCreate(masterKey);
		String[] common = { "--smp.crypto.master-key-file=" + masterKey,
				"--smp.admin.max-failed-logins=" + MAX_FAILED_LOGINS,
				"--smp.enrollment.max-failures=" + MAX_ENROLLMENT_FAILURES,
				"--smp.enrollment.failure-window=PT6S" };
		List<String> datasource = database.arguments();
		CompletableFuture<ServerProcess> startingA = CompletableFuture
			.supplyAsync(() -> start(firstDir, datasource, common));
		CompletableFuture<ServerProcess> startingB = CompletableFuture
			.supplyAsync(() -> start(secondDir, datasource, common));
		first = startingA.join();
		second = startingB.join();
		a = first.client();
		b = second.client();
		Path password = Files.exists(firstDir.resolve("initial-admin-password"))
				? firstDir.resolve("initial-admin-password") : secondDir.resolve("initial-admin-password");
		adminPassword = Files.readString(password).strip();
	}

	private static ServerProcess start(Path dataDir, List<String> datasource, String... arguments) {
		try {
			return ServerProcess.start(dataDir, "256m", datasource, false, arguments);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@AfterAll
	static void stop() throws InterruptedException, SQLException {
		for (ServerProcess server : new ServerProcess[] { first, second }) {
			if (server != null) {
				server.close();
			}
		}
		if (database != null) {
			database.close();
		}
	}

	@Test
	@Order(1)
	void bothServersHaveTheOneClientCaOfTheDatabase() throws Exception {
		assertThat(a.ca()).isEqualTo(b.ca());
		assertThat(Files.readString(first.log()) + Files.readString(second.log()))
			.containsOnlyOnce("Created the client CA in the database");
		// each server's own certificate is issued by that CA: the clients below verify it against it
		assertThat(admin(b).get("/api/v1/settings").status()).isEqualTo(200);
	}

	@Test
	@Order(2)
	void aComputerEnrolledOnOneServerIsAcceptedByTheOther() {
		OperatorClient admin = admin(a);
		admin.createAssociation("SHARED-OLD", "SHARED-NEW", "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient onA = a.computer("SHARED-OLD");
		assertThat(onA.enroll(admin.enrollmentCode("SHARED-OLD")).status()).isEqualTo(201);
		assertThat(onA.certificate().getIssuerX500Principal()).isEqualTo(b.ca().getSubjectX500Principal());

		ComputerClient onB = b.computer("SHARED-OLD");
		onB.impersonate(onA);

		assertThat(onB.requestStateStore("CAPTURE").status()).isEqualTo(200);
		assertThat(onB.renew().status()).isEqualTo(201);
	}

	@Test
	@Order(3)
	void aConsoleSessionOpenedOnOneServerWorksOnTheOtherUntilSignedOutThere() throws Exception {
		String session = signIn(a, "admin", adminPassword);

		HttpResponse<String> dashboardOnB = get(b, "/console", session);
		assertThat(dashboardOnB.statusCode()).isEqualTo(200);
		assertThat(dashboardOnB.body()).contains("admin");

		Matcher token = CSRF.matcher(dashboardOnB.body());
		assertThat(token.find()).isTrue();
		HttpResponse<String> signedOut = post(b, "/logout", session, "_csrf=" + token.group(1));
		assertThat(signedOut.statusCode()).isEqualTo(302);
		assertThat(signedOut.headers().firstValue("Location").orElseThrow()).endsWith("/login?signedOut");

		HttpResponse<String> afterwardsOnA = get(a, "/console", session);
		assertThat(afterwardsOnA.statusCode()).isEqualTo(302);
		assertThat(afterwardsOnA.headers().firstValue("Location").orElseThrow()).endsWith("/login");
	}

	@Test
	@Order(4)
	void failedSignInsOnBothServersAddUpToOneLockout() {
		String username = "split-failures";
		OperatorClient operator = admin(a).createOperator(username, "AUDITOR");
		String password = operatorPassword(operator);
		for (int i = 0; i < MAX_FAILED_LOGINS - 1; i++) {
			TestServer server = (i % 2 == 0) ? a : b;
			assertThat(server.operator(username, "wrong-password").get("/api/v1/settings").status()).isEqualTo(401);
		}
		assertThat(b.operator(username, password).get("/api/v1/settings").status())
			.as("below the limit, the right password still works")
			.isEqualTo(200);
		for (int i = 0; i < MAX_FAILED_LOGINS; i++) {
			TestServer server = (i % 2 == 0) ? b : a;
			assertThat(server.operator(username, "wrong-password").get("/api/v1/settings").status()).isEqualTo(401);
		}

		assertThat(a.operator(username, password).get("/api/v1/settings").status()).isEqualTo(401);
		assertThat(b.operator(username, password).get("/api/v1/settings").status()).isEqualTo(401);
	}

	@Test
	@Order(5)
	void failedEnrollmentsOnBothServersAddUpToOneThrottle() throws Exception {
		OperatorClient admin = admin(b);
		admin.createAssociation("THROTTLED-SHARED", "THROTTLED-SHARED-NEW", "CAPTURE_ALL_RESTORE_ALL");
		String code = admin.enrollmentCode("THROTTLED-SHARED");
		for (int i = 0; i < MAX_ENROLLMENT_FAILURES; i++) {
			TestServer server = (i % 2 == 0) ? a : b;
			Response failed = server.computer("GUESSER").enroll("AAAA-BBBB-CCCC-DDDD");
			assertThat(failed.status()).isEqualTo(401);
			assertThat(failed.problem()).isEqualTo("enrollment-code-invalid");
		}

		Response limitedOnA = a.computer("THROTTLED-SHARED").enroll(code);
		Response limitedOnB = b.computer("THROTTLED-SHARED").enroll(code);

		for (Response limited : List.of(limitedOnA, limitedOnB)) {
			assertThat(limited.status()).isEqualTo(429);
			assertThat(limited.problem()).isEqualTo("rate-limited");
			assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 6L);
		}
		Thread.sleep((Long.parseLong(limitedOnB.header("Retry-After")) + 1) * 1000);
		assertThat(b.computer("THROTTLED-SHARED").enroll(code).status()).isEqualTo(201);
	}

	private static OperatorClient admin(TestServer server) {
		return server.operator("admin", adminPassword);
	}

	/** The password {@link OperatorClient#createOperator} gives. */
	private static String operatorPassword(OperatorClient operator) {
		return "pw-" + operator.username() + "-0123456789";
	}

	/** Signs in through the console's form, as a browser does; the session cookie's value. */
	private static String signIn(TestServer server, String username, String password) throws Exception {
		HttpResponse<String> form = get(server, "/login", null);
		String session = sessionCookie(form);
		Matcher token = CSRF.matcher(form.body());
		assertThat(token.find()).isTrue();
		HttpResponse<String> signedIn = post(server, "/login", session,
				"username=" + username + "&password=" + java.net.URLEncoder.encode(password, "UTF-8") + "&_csrf="
						+ token.group(1));
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith("/console");
		// the session id changes at sign-in
		String signedInSession = sessionCookie(signedIn);
		assertThat(signedInSession).isNotEqualTo(session);
		return signedInSession;
	}

	private static String sessionCookie(HttpResponse<String> response) {
		Matcher cookie = SESSION_COOKIE.matcher(response.headers().firstValue("Set-Cookie").orElseThrow());
		assertThat(cookie.find()).isTrue();
		return cookie.group(1);
	}

	private static HttpResponse<String> get(TestServer server, String path, String session) throws Exception {
		return send(server, request(server, path, session).GET());
	}

	private static HttpResponse<String> post(TestServer server, String path, String session, String form)
			throws Exception {
		return send(server, request(server, path, session).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form)));
	}

	private static HttpRequest.Builder request(TestServer server, String path, String session) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri(path).toString()))
			.header("Accept", "text/html")
			.timeout(Duration.ofSeconds(30));
		return (session != null) ? request.header("Cookie", "JSESSIONID=" + session) : request;
	}

	private static HttpResponse<String> send(TestServer server, HttpRequest.Builder request) throws Exception {
		HttpClient http = HttpClient.newBuilder()
			.sslContext(server.trustingContext())
			.followRedirects(HttpClient.Redirect.NEVER)
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
