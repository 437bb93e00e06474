package org.statemigration.smp.admin;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The role matrix of the contract for the admin API, its OpenAPI document and the actuator, as a table with one row
 * per endpoint and the status each caller gets, and the test that each caller gets it. Who the callers are is the
 * subclass's ({@link #caller}): local operators with HTTP Basic ({@link AdminApiSecurityIntegrationTests}), or
 * operators of an OpenID provider with its access tokens ({@link ProviderOperatorsIntegrationTests}); anonymous is
 * nobody for both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdminApiRoleMatrix extends AdminApiTestSupport {

	/** The callers of the matrix: nobody, and one operator with each single role. */
	enum Caller {

		ANONYMOUS, ADMIN, OSD_MANAGER, RECOVERY_VIEWER, AUDITOR

	}

	/**
	 * An endpoint of the matrix. The path and the body are made per call, so that a call that is allowed acts on
	 * something of its own (a new association to delete, a new certificate to block, a new operator name).
	 */
	record Endpoint(String method, String template, Function<AdminApiRoleMatrix, String> path,
			Function<AdminApiRoleMatrix, Object> body) {

		@Override
		public String toString() {
			return this.method + " " + this.template;
		}

	}

	static final Endpoint CREATE_ASSOCIATION = new Endpoint("POST", "/api/v1/associations",
			(t) -> "/api/v1/associations", (t) -> t.newAssociationBody());

	static final Endpoint LIST_ASSOCIATIONS = new Endpoint("GET", "/api/v1/associations",
			(t) -> "/api/v1/associations", (t) -> null);

	static final Endpoint GET_ASSOCIATION = new Endpoint("GET", "/api/v1/associations/{id}",
			(t) -> "/api/v1/associations/" + t.associationId, (t) -> null);

	static final Endpoint DELETE_ASSOCIATION = new Endpoint("DELETE", "/api/v1/associations/{id}",
			(t) -> "/api/v1/associations/" + t.newAssociation(), (t) -> null);

	static final Endpoint LIST_COMPUTERS = new Endpoint("GET", "/api/v1/computers", (t) -> "/api/v1/computers",
			(t) -> null);

	static final Endpoint GET_COMPUTER = new Endpoint("GET", "/api/v1/computers/{name}",
			(t) -> "/api/v1/computers/" + t.computerName, (t) -> null);

	static final Endpoint ISSUE_ENROLLMENT_CODE = new Endpoint("POST", "/api/v1/computers/{name}/enrollment-codes",
			(t) -> "/api/v1/computers/" + t.computerName + "/enrollment-codes", (t) -> null);

	static final Endpoint BLOCK_CERTIFICATE = new Endpoint("POST", "/api/v1/certificates/{serial}/block",
			(t) -> "/api/v1/certificates/" + t.enrolledComputer("MATRIX-BLK").serial() + "/block",
			(t) -> Map.of("reason", "matrix test"));

	static final Endpoint CREATE_OPERATOR = new Endpoint("POST", "/api/v1/admins", (t) -> "/api/v1/admins",
			(t) -> Map.of("username", unique("matrix-new").toLowerCase(Locale.ROOT), "password", "a-long-enough-password",
					"roles", List.of("AUDITOR")));

	static final Endpoint LIST_OPERATORS = new Endpoint("GET", "/api/v1/admins", (t) -> "/api/v1/admins",
			(t) -> null);

	static final Endpoint CHANGE_OPERATOR = new Endpoint("PATCH", "/api/v1/admins/{username}",
			(t) -> "/api/v1/admins/" + t.patchedOperator, (t) -> Map.of("enabled", true));

	static final Endpoint RESET_PASSWORD = new Endpoint("POST", "/api/v1/admins/{username}/password-reset",
			(t) -> "/api/v1/admins/" + t.admin.createOperator(operatorName("reset"), "AUDITOR").username()
					+ "/password-reset",
			(t) -> null);

	static final Endpoint SCRUB = new Endpoint("GET", "/api/v1/scrub", (t) -> "/api/v1/scrub", (t) -> null);

	static final Endpoint API_DOCS = new Endpoint("GET", "/v3/api-docs", (t) -> "/v3/api-docs", (t) -> null);

	static final Endpoint HEALTH = new Endpoint("GET", "/actuator/health", (t) -> "/actuator/health", (t) -> null);

	static final Endpoint PROMETHEUS = new Endpoint("GET", "/actuator/prometheus", (t) -> "/actuator/prometheus",
			(t) -> null);

	// @formatter:off
	/** The contract's role matrix: for each endpoint, the status of each caller in the order of {@link Caller}. */
	static final Map<Endpoint, int[]> MATRIX = matrix(
			//                       ANONYMOUS  ADMIN  OSD_MANAGER  RECOVERY_VIEWER  AUDITOR
			row(CREATE_ASSOCIATION,     401,     201,      201,           403,         403),
			row(LIST_ASSOCIATIONS,      401,     200,      200,           200,         200),
			row(GET_ASSOCIATION,        401,     200,      200,           200,         200),
			row(DELETE_ASSOCIATION,     401,     204,      204,           403,         403),
			row(LIST_COMPUTERS,         401,     200,      200,           200,         200),
			row(GET_COMPUTER,           401,     200,      200,           200,         200),
			row(ISSUE_ENROLLMENT_CODE,  401,     201,      201,           403,         403),
			row(BLOCK_CERTIFICATE,      401,     200,      200,           403,         403),
			row(CREATE_OPERATOR,        401,     201,      403,           403,         403),
			row(LIST_OPERATORS,         401,     200,      403,           403,         403),
			row(CHANGE_OPERATOR,        401,     200,      403,           403,         403),
			row(RESET_PASSWORD,         401,     200,      403,           403,         403),
			row(SCRUB,                  401,     200,      403,           403,         200),
			row(API_DOCS,               401,     200,      200,           200,         200),
			row(HEALTH,                 200,     200,      200,           200,         200),
			row(PROMETHEUS,             401,     200,      403,           403,         200));
	// @formatter:on

	final Map<Caller, OperatorClient> callers = new EnumMap<>(Caller.class);

	String associationId;

	String computerName;

	String patchedOperator;

	/** A caller with exactly the role {@code caller} (never {@link Caller#ANONYMOUS}). */
	abstract OperatorClient caller(Caller caller) throws Exception;

	@BeforeAll
	void createCallersAndTargets() throws Exception {
		connect();
		this.callers.put(Caller.ANONYMOUS, this.server.anonymous());
		for (Caller caller : Caller.values()) {
			if (caller != Caller.ANONYMOUS) {
				this.callers.put(caller, caller(caller));
			}
		}
		this.patchedOperator = operatorName("patched");
		this.admin.createOperator(this.patchedOperator, "AUDITOR");
		this.computerName = unique("MATRIX");
		this.associationId = this.admin.createAssociation(this.computerName, unique("MATRIX-D"),
				"CAPTURE_ALL_RESTORE_ALL");
	}

	static Stream<Arguments> everyCallerOfEveryEndpoint() {
		return MATRIX.entrySet()
			.stream()
			.flatMap((row) -> Arrays.stream(Caller.values())
				.map((caller) -> Arguments.of(row.getKey(), caller, row.getValue()[caller.ordinal()])));
	}

	@ParameterizedTest(name = "{0} as {1} -> {2}")
	@MethodSource("everyCallerOfEveryEndpoint")
	void callerGetsTheStatusOfTheMatrix(Endpoint endpoint, Caller caller, int expected) {
		Response response = call(this.callers.get(caller), endpoint);
		assertThat(response.status()).as("%s as %s: %s", endpoint, caller, response.body()).isEqualTo(expected);
		if (expected == 401) {
			assertUnauthorized(response);
		}
		else if (expected == 403) {
			assertProblem(response, 403, "forbidden");
		}
		else if (endpoint == PROMETHEUS) {
			assertThat(response.body()).contains("# HELP");
		}
	}

	Response call(OperatorClient client, Endpoint endpoint) {
		// the metrics come as text for Prometheus; everything else as JSON
		String accept = (endpoint == PROMETHEUS) ? "text/plain" : "application/json";
		return client.send(endpoint.method(), endpoint.path().apply(this), endpoint.body().apply(this), accept);
	}

	static void assertUnauthorized(Response response) {
		assertProblem(response, 401, "unauthorized");
		assertThat(response.header("WWW-Authenticate")).startsWith("Basic ");
	}

	String newAssociation() {
		return this.admin.createAssociation(unique("MATRIX-DEL"), unique("MATRIX-DEL-D"), "CAPTURE_ALL_RESTORE_ALL");
	}

	Object newAssociationBody() {
		return Map.of("sourceComputer", unique("MATRIX-NEW"), "destinationComputer", unique("MATRIX-NEW-D"),
				"userAccounts", Map.of("mode", "CAPTURE_SPECIFIED_RESTORE_SPECIFIED", "accounts", List.of("CONTOSO\\alice")));
	}

	static String operatorName(String what) {
		return unique("matrix-" + what).toLowerCase(Locale.ROOT);
	}

	@SafeVarargs
	private static Map<Endpoint, int[]> matrix(Map.Entry<Endpoint, int[]>... rows) {
		Map<Endpoint, int[]> matrix = new LinkedHashMap<>();
		for (Map.Entry<Endpoint, int[]> row : rows) {
			matrix.put(row.getKey(), row.getValue());
		}
		return matrix;
	}

	private static Map.Entry<Endpoint, int[]> row(Endpoint endpoint, int... statusByCaller) {
		assertThat(statusByCaller).hasSize(Caller.values().length);
		return Map.entry(endpoint, statusByCaller);
	}

}
