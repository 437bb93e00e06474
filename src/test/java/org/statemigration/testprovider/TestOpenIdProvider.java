package org.statemigration.testprovider;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real OpenID provider ({@link OpenIdProviderMain}: Spring Authorization Server) in a JVM of its own, on plain
 * HTTP at {@code http://127.0.0.1:<port>}, its issuer. Its users all have the password {@link #PASSWORD}, and are in
 * the groups of {@link #USERS}; it knows smp's console (authorization code with PKCE, a client secret, the one
 * redirect URI given) and clients of automation (client credentials): one whose tokens are for smp's API, one whose
 * tokens expire at once, one whose tokens are for another audience, and one in no group that smp maps; and operators'
 * scripts ({@link #SCRIPTS_CLIENT_ID}: authorization code with PKCE, users' tokens for smp's API, fetched as a browser
 * without script would, by {@link #authorizationCodeTokens}). The tests change a user's groups while it runs
 * ({@link #changeGroups}). Its log and files are under {@code target/oidc-provider-<port>/}. A shutdown hook stops it
 * when the JVM exits.
 */
public final class TestOpenIdProvider implements AutoCloseable {

	public static final String PASSWORD = "provider-password-1";

	/** The users and their groups: an administrator, an auditor, and one in no group that smp maps. */
	public static final Map<String, List<String>> USERS = Map.of("alice", List.of("smp-admins"), "bob",
			List.of("smp-auditors", "staff"), "carol", List.of("marketing"));

	/**
	 * More users, in groups of their own for the role matrix (each group to be mapped to one role), and one whose
	 * groups the tests change while the provider runs.
	 */
	public static final Map<String, List<String>> MORE_USERS = Map.of("olivia", List.of("smp-osd"), "rachel",
			List.of("smp-recovery"), "audrey", List.of("smp-audit"), "dave", List.of("smp-auditors"));

	public static final String CONSOLE_CLIENT_ID = "smp-console";

	public static final String CONSOLE_CLIENT_SECRET = "console-client-secret-1";

	/**
	 * The console client's post-logout redirect URI: this path at the address of its redirect URI (smp's sign-in
	 * page, as smp's sign-out asks for it).
	 */
	public static final String POST_LOGOUT_PATH = "/login?signedOut";

	public static final String AUTOMATION_CLIENT_ID = "smp-automation";

	public static final String AUTOMATION_CLIENT_SECRET = secretOf(AUTOMATION_CLIENT_ID);

	/** A client-credentials client whose access tokens expire after 2 seconds. */
	public static final String SHORT_LIVED_CLIENT_ID = "smp-automation-short";

	/** A client-credentials client whose access tokens are not for smp (their audience is this client). */
	public static final String OTHER_CLIENT_ID = "other-application";

	/** A client-credentials client whose tokens are for smp's API, in the group {@code marketing} only. */
	public static final String UNMAPPED_CLIENT_ID = "smp-automation-marketing";

	/** The audience of the automation clients' access tokens: smp's API. */
	public static final String API_AUDIENCE = "smp-api";

	/**
	 * Operators' scripts: a public client (no secret) with the authorization code grant and PKCE, whose access
	 * tokens are for {@link #API_AUDIENCE}, as are, beside the client, its ID tokens.
	 */
	public static final String SCRIPTS_CLIENT_ID = "smp-scripts";

	/** The scripts' redirect URI, on the operator's own machine: nothing answers there, the code is read from it. */
	public static final String SCRIPTS_REDIRECT_URI = "http://127.0.0.1/smp-scripts/callback";

	/** The groups claim of client-credentials tokens. */
	public static final List<String> AUTOMATION_GROUPS = List.of("smp-auditors");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final SecureRandom random = new SecureRandom();

	private final Process process;

	private final int port;

	private final Path folder;

	private TestOpenIdProvider(Process process, int port, Path folder) {
		this.process = process;
		this.port = port;
		this.folder = folder;
	}

	/** Every user, {@link #USERS} and {@link #MORE_USERS}. */
	static Map<String, List<String>> allUsers() {
		Map<String, List<String>> users = new LinkedHashMap<>(USERS);
		users.putAll(MORE_USERS);
		return users;
	}

	/**
	 * Starts the provider on {@code port} of 127.0.0.1 and waits until its discovery document answers.
	 * @param redirectUri the one redirect URI of smp's console client
	 */
	public static TestOpenIdProvider start(int port, String redirectUri) throws IOException {
		return start(port, redirectUri, null);
	}

	/**
	 * Starts a provider of another issuer (on {@code port}) that signs with the signing key of {@code other}: its
	 * tokens carry the key id and a valid signature of {@code other}'s keys, and another issuer.
	 */
	public static TestOpenIdProvider startWithTheKeyOf(TestOpenIdProvider other, int port, String redirectUri)
			throws IOException {
		return start(port, redirectUri, other.folder.resolve("signing-key.json"));
	}

	private static TestOpenIdProvider start(int port, String redirectUri, Path signingKey) throws IOException {
		Path folder = Path.of("target", "oidc-provider-" + port).toAbsolutePath();
		Files.createDirectories(folder);
		Files.deleteIfExists(folder.resolve("ready"));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-Xmx192m", "-XX:TieredStopAtLevel=1", "-cp",
				classpath(), OpenIdProviderMain.class.getName(), Integer.toString(port), redirectUri,
				folder.toString()));
		if (signingKey != null) {
			command.add(signingKey.toString());
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("provider.log").toFile()))
			.start();
		TestOpenIdProvider provider = new TestOpenIdProvider(process, port, folder);
		Runtime.getRuntime().addShutdownHook(new Thread(provider::close, "oidc-provider-stop"));
		try {
			provider.awaitReady(Duration.ofSeconds(90), folder);
		}
		catch (IOException | RuntimeException ex) {
			provider.close();
			throw ex;
		}
		return provider;
	}

	/** The test JVM's own classpath (Surefire and Failsafe name it apart from their launcher's). */
	private static String classpath() {
		String path = System.getProperty("surefire.test.class.path");
		return (path != null && !path.isBlank()) ? path : System.getProperty("java.class.path");
	}

	private void awaitReady(Duration timeout, Path folder) throws IOException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IOException("The OpenID provider ended at start with status " + this.process.exitValue()
						+ "; see " + folder.resolve("provider.log"));
			}
			if (Files.exists(folder.resolve("ready"))) {
				try {
					HttpResponse<String> response = http.send(
							HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration")).build(),
							HttpResponse.BodyHandlers.ofString());
					if (response.statusCode() == 200) {
						return;
					}
				}
				catch (IOException ex) {
					// not listening yet
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IOException(ex);
				}
			}
			sleep();
		}
		throw new IOException("The OpenID provider did not answer within " + timeout);
	}

	public String issuer() {
		return "http://127.0.0.1:" + this.port;
	}

	public int port() {
		return this.port;
	}

	/** An access token of the automation client, by the client-credentials grant. */
	public String clientCredentialsToken() throws IOException, InterruptedException {
		return clientCredentialsToken(AUTOMATION_CLIENT_ID);
	}

	/** The secret of a client-credentials client. */
	public static String secretOf(String clientId) {
		return clientId + "-secret-1";
	}

	/** An access token of a client-credentials client. */
	public String clientCredentialsToken(String clientId) throws IOException, InterruptedException {
		String basic = Base64.getEncoder()
			.encodeToString((clientId + ":" + secretOf(clientId)).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(issuer() + "/oauth2/token"))
				.header("Authorization", "Basic " + basic)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=smp"))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException("Token request answered " + response.statusCode() + ": " + response.body());
		}
		JsonNode body = json.readTree(response.body());
		return body.path("access_token").asString();
	}

	/**
	 * Signs {@code username} in at the provider, as a browser without script would follow an authorization request
	 * of a client: through the provider's sign-in form (always afresh, so that the user's groups are read as they
	 * are now) to the redirect back to the client.
	 * @param authorizationRequest the provider's authorization endpoint with the client's request
	 * @return the address the provider sends the browser back to, with the code and the state
	 */
	public URI signIn(URI authorizationRequest, String username) {
		return new ProviderBrowser(URI.create(issuer())).signIn(authorizationRequest, username, PASSWORD);
	}

	/**
	 * The tokens of {@code username} for the scripts' client ({@link #SCRIPTS_CLIENT_ID}), by the authorization code
	 * flow with PKCE (S256), a state and a nonce: the authorization request, the provider's sign-in form, the
	 * redirect with the code, and the code exchanged at the token endpoint. No browser.
	 */
	public Tokens authorizationCodeTokens(String username) throws IOException, InterruptedException {
		String verifier = randomText();
		String state = randomText();
		URI request = URI.create(issuer() + "/oauth2/authorize?response_type=code&client_id=" + SCRIPTS_CLIENT_ID
				+ "&redirect_uri=" + encode(SCRIPTS_REDIRECT_URI) + "&scope=" + encode("openid profile") + "&state="
				+ state + "&nonce=" + randomText() + "&code_challenge=" + challenge(verifier)
				+ "&code_challenge_method=S256");
		URI back = signIn(request, username);
		Map<String, String> answer = ProviderBrowser.query(back);
		if (!back.toString().startsWith(SCRIPTS_REDIRECT_URI + "?") || !state.equals(answer.get("state"))
				|| answer.get("code") == null) {
			throw new IOException("The provider sent " + username + " back to " + back);
		}
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(issuer() + "/oauth2/token"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code="
						+ encode(answer.get("code")) + "&redirect_uri=" + encode(SCRIPTS_REDIRECT_URI) + "&client_id="
						+ SCRIPTS_CLIENT_ID + "&code_verifier=" + verifier))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException("Token request answered " + response.statusCode() + ": " + response.body());
		}
		JsonNode body = json.readTree(response.body());
		return new Tokens(body.path("access_token").asString(), body.path("id_token").asString());
	}

	/** Puts {@code username} in exactly {@code groups} (none: in no group), now, as an administrator would. */
	public void changeGroups(String username, List<String> groups) throws IOException, InterruptedException {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(issuer() + OpenIdProviderMain.GroupsEndpoint.PATH + username))
				.header("Content-Type", "text/plain")
				.PUT(HttpRequest.BodyPublishers.ofString(String.join(",", groups)))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 204) {
			throw new IOException("Changing the groups of " + username + " answered " + response.statusCode());
		}
	}

	/** The tokens of an authorization code flow: the access token, and the ID token. */
	public record Tokens(String accessToken, String idToken) {
	}

	private static String randomText() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** The PKCE challenge of a verifier: its SHA-256, base64url (S256). */
	private static String challenge(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static void sleep() {
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

}
