package org.statemigration.smp.config;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document is the API of the build and of its reference: every endpoint of the table of endpoints in
 * {@code docs/api.md} is in the document with the same authentication and roles, and every operation of the
 * document is in the table; every problem slug that the reference names is a problem type of the document, and
 * the other way round. And who may read the document and its UI: operators of any role, nobody else.
 */
@IntegrationTest
class OpenApiIntegrationTests extends AdminApiTestSupport {

	private static final Path API_REFERENCE = Path.of("docs", "api.md");

	private static final String TABLE_HEADER = "| method | path | authentication | roles |";

	private static final List<String> ANY_ROLE = List.of("ADMIN", "OSD_MANAGER", "RECOVERY_VIEWER", "AUDITOR");

	private static final Pattern CODE = Pattern.compile("`([^`]*)`");

	private static final Pattern STATUS_AND_SLUG = Pattern
		.compile("\\b([1-5]\\d\\d) (?:with type )?`(?:urn:smp:problem:)?([a-z][a-z-]*)`");

	private static final Pattern TABLE_ROW_SLUGS = Pattern.compile("^\\s*\\| ([1-5]\\d\\d) \\| ([^|]+) \\|");

	/** Refusals that carry no body: a range beyond the end of the state store (with its Content-Range). */
	private static final Set<String> WITHOUT_BODY = Set.of("GET /api/v1/stores/{associationId} 416");

	private static final String TYPE_PREFIX = "urn:smp:problem:";

	@Test
	void theDocumentIsOpenApi31() {
		JsonNode document = document();
		assertThat(document.path("openapi").asString()).startsWith("3.1.");
		assertThat(document.path("info").path("title").asString()).isEqualTo("smp");
		JsonNode schemes = document.path("components").path("securitySchemes");
		assertThat(schemes.path("operator").path("type").asString()).isEqualTo("http");
		assertThat(schemes.path("operator").path("scheme").asString()).isEqualTo("basic");
		assertThat(schemes.path("clientCertificate").path("type").asString()).isEqualTo("mutualTLS");
		assertThat(schemes.path("managementPointToken").path("scheme").asString()).isEqualTo("bearer");
	}

	@Test
	void everyEndpointOfTheReferenceIsInTheDocumentAndNothingElse() throws IOException {
		Map<String, Row> documented = referenceTable();
		Map<String, JsonNode> operations = operations(document());
		assertThat(operations.keySet()).as("operations of the document (left) and endpoints of docs/api.md")
			.containsExactlyInAnyOrderElementsOf(documented.keySet());
	}

	@Test
	void everyEndpointNeedsTheAuthenticationAndRolesOfTheReference() throws IOException {
		Map<String, JsonNode> operations = operations(document());
		referenceTable().forEach((endpoint, row) -> {
			JsonNode operation = operations.get(endpoint);
			if (operation == null) {
				return; // reported by everyEndpointOfTheReferenceIsInTheDocumentAndNothingElse
			}
			assertThat(security(operation)).as("security of %s", endpoint).isEqualTo(row.security());
			List<String> roles = new ArrayList<>();
			operation.path("x-smp-roles").forEach((role) -> roles.add(role.asString()));
			assertThat(roles).as("roles of %s", endpoint).isEqualTo(row.roles());
		});
	}

	@Test
	void everyProblemSlugOfTheReferenceIsAProblemTypeOfTheDocumentAndBack() throws IOException {
		JsonNode document = document();
		Set<String> types = new TreeSet<>();
		document.path("components").path("schemas").path("Problem").path("properties").path("type").path("enum")
			.forEach((type) -> types.add(type.asString()));
		Set<String> slugs = referenceSlugs();
		assertThat(slugs).as("slugs of docs/api.md").contains("validation", "token-invalid", "store-damaged");
		assertThat(types).as("problem types of the document")
			.containsExactlyInAnyOrderElementsOf(slugs.stream().map((slug) -> TYPE_PREFIX + slug).toList());
	}

	@Test
	void everyOperationAnswersItsProblemsAsProblemDocumentsOfTheirTypes() {
		JsonNode document = document();
		operations(document).forEach((endpoint, operation) -> {
			List<String> statuses = new ArrayList<>(operation.path("responses").propertyNames());
			assertThat(statuses).as(endpoint).contains("400", "500", "503");
			for (String status : statuses) {
				JsonNode problem = operation.path("responses").path(status).path("content")
					.path("application/problem+json");
				if (Integer.parseInt(status) < 400 || endpoint.startsWith("HEAD ")
						|| WITHOUT_BODY.contains(endpoint + " " + status)) {
					assertThat(problem.isMissingNode()).as("%s %s", endpoint, status).isTrue();
					continue;
				}
				assertThat(problem.path("schema").path("allOf").get(0).path("$ref").asString()).as(endpoint)
					.isEqualTo("#/components/schemas/Problem");
				assertThat(problem.path("schema").path("properties").path("type").path("enum").isEmpty())
					.as("%s %s names its types", endpoint, status).isFalse();
			}
		});
		JsonNode request = operations(document).get("POST /api/v1/mp/request-state-store");
		assertThat(request.path("responses").path("404").path("description").asString()).contains("no-association",
				"no-state-store");
		assertThat(request.path("responses").path("200").path("content").path("application/json").path("schema")
			.path("$ref").asString()).isEqualTo("#/components/schemas/StateStoreGrant");
		JsonNode patch = operations(document).get("PATCH /api/v1/uploads/{uploadId}");
		assertThat(patch.path("responses").has("460")).isTrue();
		assertThat(patch.path("requestBody").path("content").has("application/offset+octet-stream")).isTrue();
		assertThat(patch.path("parameters").toString()).contains("Tus-Resumable", "Upload-Offset")
			.doesNotContain("\"token\"");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/swagger-config", "/swagger-ui.html",
			"/swagger-ui/index.html", "/swagger-ui/swagger-ui.css", "/swagger-ui/swagger-initializer.js" })
	void anonymousCallersAndWrongPasswordsGet401(String path) {
		assertUnauthorized(this.server.anonymous().get(path));
		// an operator of its own for each path: wrong passwords for one name would lock it out
		OperatorClient operator = this.admin.createOperator(unique("docs-wrong").toLowerCase(Locale.ROOT), "AUDITOR");
		assertUnauthorized(this.server.operator(operator.username(), "not-the-password-at-all").get(path));
	}

	@ParameterizedTest
	@ValueSource(strings = { "ADMIN", "OSD_MANAGER", "RECOVERY_VIEWER", "AUDITOR" })
	void operatorsOfEveryRoleReadTheDocumentAndTheUi(String role) {
		OperatorClient operator = this.admin.createOperator(unique("docs-" + role).toLowerCase(Locale.ROOT), role);
		Response document = operator.get("/v3/api-docs");
		assertThat(document.status()).as(document.body()).isEqualTo(200);
		assertThat(document.json().path("paths").has("/api/v1/associations")).isTrue();
		Response ui = operator.send("GET", "/swagger-ui/index.html", null, "text/html");
		assertThat(ui.status()).isEqualTo(200);
		assertThat(ui.body()).contains("swagger-ui");
		Response config = operator.get("/v3/api-docs/swagger-config");
		assertThat(config.json().path("url").asString()).isEqualTo("/v3/api-docs");
		assertThat(config.json().path("validatorUrl").asString()).isEqualTo("none");
		assertThat(operator.send("GET", "/swagger-ui.html", null, "text/html").header("Location"))
			.endsWith("/swagger-ui/index.html");
	}

	@Test
	void onlyGetIsAnswered() {
		assertProblem(this.admin.post("/v3/api-docs", Map.of()), 403, "forbidden");
		assertUnauthorized(this.server.anonymous().post("/v3/api-docs", Map.of()));
	}

	@Test
	void theUiAssetsOpenNothingElse() {
		// springdoc serves Swagger UI's files under /swagger-ui/ only; the webjar's own path stays refused
		Response webjar = this.server.anonymous().get("/webjars/swagger-ui/index.html");
		assertThat(webjar.status()).isIn(401, 403, 404);
		assertThat(webjar.body()).doesNotContain("<html");
	}

	@Test
	void aComputersClientCertificateIsNotEnough() {
		ComputerClient computer = enrolledComputer("DOCS");
		for (String path : List.of("/v3/api-docs", "/swagger-ui/index.html")) {
			HttpResponse<String> response = computer
				.exchange(HttpRequest.newBuilder(computer.uri(path)).header("Accept", "application/json").GET().build());
			assertThat(response.statusCode()).as(path).isEqualTo(401);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(response.body()).contains(TYPE_PREFIX + "unauthorized").doesNotContain("openapi");
		}
	}

	private JsonNode document() {
		Response response = this.admin.get("/v3/api-docs");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	/** The document's operations as {@code METHOD path}. */
	private static Map<String, JsonNode> operations(JsonNode document) {
		Map<String, JsonNode> operations = new TreeMap<>();
		document.path("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			String method = operation.getKey().toUpperCase(Locale.ROOT);
			if (List.of("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE").contains(method)) {
				operations.put(method + " " + path.getKey(), operation.getValue());
			}
		}));
		return operations;
	}

	/** The security of an operation as the reference's authentication column says it. */
	private static String security(JsonNode operation) {
		JsonNode security = operation.path("security");
		assertThat(security.isArray()).as("every operation says its security").isTrue();
		if (security.isEmpty()) {
			return "enrollment code";
		}
		assertThat(security.size()).isEqualTo(1);
		Set<String> schemes = new TreeSet<>(security.get(0).propertyNames());
		if (schemes.equals(Set.of("operator"))) {
			return "operator";
		}
		if (schemes.equals(Set.of("clientCertificate"))) {
			return "client certificate";
		}
		if (schemes.equals(Set.of("clientCertificate", "managementPointToken"))) {
			return "client certificate and token";
		}
		return schemes.toString();
	}

	/** The table of endpoints of the reference, by {@code METHOD path}. */
	private static Map<String, Row> referenceTable() throws IOException {
		List<String> lines = Files.readAllLines(API_REFERENCE);
		int header = lines.indexOf(TABLE_HEADER);
		assertThat(header).as("the table of endpoints in docs/api.md").isNotNegative();
		Map<String, Row> rows = new TreeMap<>();
		for (String line : lines.subList(header + 2, lines.size())) {
			if (!line.startsWith("|")) {
				break;
			}
			String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
			assertThat(cells).as(line).hasSize(4);
			String endpoint = code(cells[0]) + " " + code(cells[1]);
			String roles = cells[3].strip();
			List<String> roleList = roles.isEmpty() ? List.of()
					: roles.equals("any role") ? ANY_ROLE : List.of(code(roles));
			assertThat(rows.put(endpoint, new Row(cells[2].strip(), roleList))).as("%s listed twice", endpoint)
				.isNull();
		}
		assertThat(rows).hasSizeGreaterThan(30);
		return rows;
	}

	/** Every slug that the reference gives a status: in its tables of status and slug, and in its prose. */
	private static Set<String> referenceSlugs() throws IOException {
		Set<String> slugs = new TreeSet<>();
		for (String line : Files.readAllLines(API_REFERENCE)) {
			Matcher row = TABLE_ROW_SLUGS.matcher(line);
			if (row.find()) {
				Matcher code = CODE.matcher(row.group(2));
				while (code.find()) {
					slugs.add(code.group(1).replace(TYPE_PREFIX, ""));
				}
			}
			Matcher prose = STATUS_AND_SLUG.matcher(line);
			while (prose.find()) {
				slugs.add(prose.group(2));
			}
		}
		return slugs;
	}

	private static String code(String cell) {
		Matcher code = CODE.matcher(cell);
		assertThat(code.find()).as(cell).isTrue();
		return code.group(1);
	}

	private static void assertUnauthorized(Response response) {
		assertProblem(response, 401, "unauthorized");
		assertThat(response.header("WWW-Authenticate")).startsWith("Basic ");
	}

	/** A row of the reference's table of endpoints. */
	record Row(String security, List<String> roles) {
	}

}
