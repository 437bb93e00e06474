package org.statemigration.smp.association;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The associations of the admin API: creation and its validation, the rule of one association per source unless
 * everything is captured, finding and listing, and deletion with the data it holds. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class AssociationApiIntegrationTests extends AdminApiTestSupport {

	private static final String ASSOCIATIONS = "/api/v1/associations";

	@Autowired
	JdbcClient jdbc;

	@Test
	void createsAnAssociationAndRegistersItsUnknownComputers() {
		String source = unique("CREATE-SRC");
		String destination = unique("CREATE-DST");
		assertThat(this.admin.get("/api/v1/computers/" + source).status()).isEqualTo(404);

		Response response = this.admin.post(ASSOCIATIONS, Map.of("sourceComputer", source, "destinationComputer",
				destination, "userAccounts",
				Map.of("mode", "CAPTURE_SPECIFIED_RESTORE_SPECIFIED", "accounts", List.of("CONTOSO\\alice", "bob")),
				"notes", "desk 42"));

		assertThat(response.status()).isEqualTo(201);
		JsonNode association = response.json();
		String id = association.path("id").asString();
		assertThat(UUID.fromString(id)).isNotNull();
		assertThat(response.header("Location")).endsWith(ASSOCIATIONS + "/" + id);
		assertThat(association.path("sourceComputer").asString()).isEqualTo(source);
		assertThat(association.path("destinationComputer").asString()).isEqualTo(destination);
		assertThat(association.path("migrationType").asString()).isEqualTo("SIDE_BY_SIDE");
		assertThat(association.path("userAccounts").path("mode").asString())
			.isEqualTo("CAPTURE_SPECIFIED_RESTORE_SPECIFIED");
		assertThat(association.path("userAccounts").path("accounts").values()).extracting(JsonNode::asString)
			.containsExactly("CONTOSO\\alice", "bob");
		assertThat(association.path("state").asString()).isEqualTo("CREATED");
		for (String empty : List.of("storeSizeBytes", "storeSha256", "capturedAt", "restoredAt", "deleteAt")) {
			assertThat(association.has(empty)).as(empty).isTrue();
			assertThat(association.path(empty).isNull()).as(empty).isTrue();
		}
		assertThat(association.path("legalHold").asBoolean()).isFalse();
		assertThat(association.path("createdAt").asString()).endsWith("Z");
		assertThat(association.path("createdBy").asString()).isEqualTo("admin");
		assertThat(association.propertyNames()).noneMatch((name) -> name.toLowerCase(Locale.ROOT).contains("key"));

		assertThat(this.admin.get(ASSOCIATIONS + "/" + id).json()).isEqualTo(association);
		assertThat(this.admin.get("/api/v1/computers/" + source).status()).isEqualTo(200);
		assertThat(this.admin.get("/api/v1/computers/" + destination).status()).isEqualTo(200);
	}

	@Test
	void sameComputerInAnyCaseIsAnInPlaceMigration() {
		String name = unique("refresh");
		Response response = this.admin.post(ASSOCIATIONS, Map.of("sourceComputer", name, "destinationComputer",
				name.toUpperCase(Locale.ROOT), "userAccounts", Map.of("mode", "CAPTURE_ALL_RESTORE_ALL")));
		assertThat(response.status()).isEqualTo(201);
		assertThat(response.json().path("migrationType").asString()).isEqualTo("IN_PLACE");
		assertThat(response.json().path("destinationComputer").asString()).isEqualTo(name);
	}

	@Test
	void modeDefaultsToCaptureSpecifiedRestoreSpecified() {
		Response response = this.admin.post(ASSOCIATIONS, Map.of("sourceComputer", unique("DEFAULT"),
				"destinationComputer", unique("DEFAULT-D"), "userAccounts", Map.of("accounts", List.of("alice"))));
		assertThat(response.status()).isEqualTo(201);
		assertThat(response.json().path("userAccounts").path("mode").asString())
			.isEqualTo("CAPTURE_SPECIFIED_RESTORE_SPECIFIED");
	}

	static Stream<Arguments> invalidAssociations() {
		String ok = "\"destinationComputer\":\"VALID-DST\"";
		String all = "\"userAccounts\":{\"mode\":\"CAPTURE_ALL_RESTORE_ALL\"}";
		return Stream.of(
				Arguments.of("bad computer name", "{\"sourceComputer\":\"PC_1!\"," + ok + "," + all + "}"),
				Arguments.of("computer name of 64 characters",
						"{\"sourceComputer\":\"" + "A".repeat(64) + "\"," + ok + "," + all + "}"),
				Arguments.of("missing source computer", "{" + ok + "," + all + "}"),
				Arguments.of("missing accounts for CAPTURE_SPECIFIED_RESTORE_SPECIFIED",
						"{\"sourceComputer\":\"%s\"," + ok
								+ ",\"userAccounts\":{\"mode\":\"CAPTURE_SPECIFIED_RESTORE_SPECIFIED\"}}"),
				Arguments.of("empty accounts for CAPTURE_ALL_RESTORE_SPECIFIED", "{\"sourceComputer\":\"%s\"," + ok
						+ ",\"userAccounts\":{\"mode\":\"CAPTURE_ALL_RESTORE_SPECIFIED\",\"accounts\":[]}}"),
				Arguments.of("no user accounts at all (default mode needs accounts)",
						"{\"sourceComputer\":\"%s\"," + ok + "}"),
				Arguments.of("unknown field", "{\"sourceComputer\":\"%s\"," + ok + "," + all + ",\"owner\":\"x\"}"),
				Arguments.of("unknown field in userAccounts", "{\"sourceComputer\":\"%s\"," + ok
						+ ",\"userAccounts\":{\"mode\":\"CAPTURE_ALL_RESTORE_ALL\",\"everyone\":true}}"),
				Arguments.of("unknown mode",
						"{\"sourceComputer\":\"%s\"," + ok + ",\"userAccounts\":{\"mode\":\"CAPTURE_SOME\"}}"),
				Arguments.of("malformed JSON", "{\"sourceComputer\":\"%s\"," + ok + ","),
				Arguments.of("notes too long",
						"{\"sourceComputer\":\"%s\"," + ok + "," + all + ",\"notes\":\"" + "n".repeat(1001) + "\"}"),
				Arguments.of("invalid account name", "{\"sourceComputer\":\"%s\"," + ok
						+ ",\"userAccounts\":{\"accounts\":[\"CONTOSO\\\\bad/user\"]}}"),
				Arguments.of("account name with a NUL", "{\"sourceComputer\":\"%s\"," + ok
						+ ",\"userAccounts\":{\"accounts\":[\"CONTOSO\\\\user\\u0000\"]}}"),
				Arguments.of("account name with a BEL", "{\"sourceComputer\":\"%s\"," + ok
						+ ",\"userAccounts\":{\"accounts\":[\"CONTOSO\\\\us\\u0007er\"]}}"),
				Arguments.of("account name with a newline", "{\"sourceComputer\":\"%s\"," + ok
						+ ",\"userAccounts\":{\"accounts\":[\"CONTOSO\\\\user\\nCONTOSO\\\\admin\"]}}"),
				Arguments.of("account name with DEL", "{\"sourceComputer\":\"%s\"," + ok
						+ ",\"userAccounts\":{\"accounts\":[\"user\\u007f\"]}}"),
				Arguments.of("account name with a bidirectional override", "{\"sourceComputer\":\"%s\"," + ok
						+ ",\"userAccounts\":{\"accounts\":[\"user\\u202e\"]}}"),
				Arguments.of("account name ending in a space", "{\"sourceComputer\":\"%s\"," + ok
						+ ",\"userAccounts\":{\"accounts\":[\"CONTOSO\\\\user \"]}}"),
				Arguments.of("account name of periods only", "{\"sourceComputer\":\"%s\"," + ok
						+ ",\"userAccounts\":{\"accounts\":[\"CONTOSO\\\\...\"]}}"),
				Arguments.of("mode given as a number",
						"{\"sourceComputer\":\"%s\"," + ok + ",\"userAccounts\":{\"mode\":0}}"),
				Arguments.of("notes given as a number", "{\"sourceComputer\":\"%s\"," + ok + "," + all + ",\"notes\":5}"),
				Arguments.of("blank account name",
						"{\"sourceComputer\":\"%s\"," + ok + ",\"userAccounts\":{\"accounts\":[\"\"]}}"),
				Arguments.of("null account name",
						"{\"sourceComputer\":\"%s\"," + ok + ",\"userAccounts\":{\"accounts\":[null]}}"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidAssociations")
	void invalidAssociationIsAValidationProblemAndRegistersNothing(String what, String body) {
		String source = unique("INVALID");
		assertProblem(this.admin.post(ASSOCIATIONS, body.replace("%s", source)), 400, "validation");
		assertThat(this.admin.get("/api/v1/computers/" + source).status()).isEqualTo(404);
	}

	@Test
	void notesOfTheMaximumLengthAreKept() {
		String notes = "n".repeat(1000);
		Response response = this.admin.post(ASSOCIATIONS, Map.of("sourceComputer", unique("NOTES"),
				"destinationComputer", unique("NOTES-D"), "userAccounts", Map.of("mode", "CAPTURE_ALL_RESTORE_ALL"),
				"notes", notes));
		assertThat(response.status()).isEqualTo(201);
		assertThat(response.json().path("notes").asString()).isEqualTo(notes);
	}

	static Stream<Arguments> secondAssociationsForOneSource() {
		return Stream.of(
				Arguments.of("CAPTURE_SPECIFIED_RESTORE_SPECIFIED", "CAPTURE_SPECIFIED_RESTORE_SPECIFIED", 409),
				Arguments.of("CAPTURE_SPECIFIED_RESTORE_SPECIFIED", "CAPTURE_ALL_RESTORE_ALL", 409),
				Arguments.of("CAPTURE_ALL_RESTORE_ALL", "CAPTURE_SPECIFIED_RESTORE_SPECIFIED", 409),
				Arguments.of("CAPTURE_ALL_RESTORE_SPECIFIED", "CAPTURE_SPECIFIED_RESTORE_SPECIFIED", 409),
				Arguments.of("CAPTURE_ALL_RESTORE_ALL", "CAPTURE_ALL_RESTORE_ALL", 201),
				Arguments.of("CAPTURE_ALL_RESTORE_ALL", "CAPTURE_ALL_RESTORE_SPECIFIED", 201),
				Arguments.of("CAPTURE_ALL_RESTORE_SPECIFIED", "CAPTURE_ALL_RESTORE_SPECIFIED", 201));
	}

	@ParameterizedTest(name = "{0} then {1} -> {2}")
	@MethodSource("secondAssociationsForOneSource")
	void secondAssociationForTheSameSourceDependsOnBothModes(String first, String second, int expected) {
		String source = unique("pc");
		this.admin.createAssociation(source, unique("FIRST-D"), first, "CONTOSO\\alice");
		String secondDestination = unique("SECOND-D");
		// computer names are the same in any case
		Response response = this.admin.post(ASSOCIATIONS,
				Map.of("sourceComputer", source.toUpperCase(Locale.ROOT), "destinationComputer", secondDestination,
						"userAccounts", Map.of("mode", second, "accounts", List.of("CONTOSO\\alice"))));
		if (expected == 409) {
			assertProblem(response, 409, "duplicate-association");
			assertThat(this.admin.get("/api/v1/computers/" + secondDestination).status())
				.as("the refused association registered its destination").isEqualTo(404);
		}
		else {
			assertThat(response.status()).isEqualTo(expected);
			assertThat(response.json().path("sourceComputer").asString()).isEqualTo(source);
		}
		assertThat(this.admin.get(ASSOCIATIONS + "?computer=" + source).json().path("total").asLong())
			.isEqualTo((expected == 409) ? 1 : 2);
	}

	@Test
	void unknownAssociationIsNotFound() {
		assertProblem(this.admin.get(ASSOCIATIONS + "/" + UUID.randomUUID()), 404, "not-found");
	}

	@Test
	void idThatIsNotAUuidIsAValidationProblem() {
		assertProblem(this.admin.get(ASSOCIATIONS + "/not-a-uuid"), 400, "validation");
		assertProblem(this.admin.delete(ASSOCIATIONS + "/not-a-uuid"), 400, "validation");
	}

	@Test
	void listsByComputerInAnyCaseAndByState() {
		String computer = unique("list");
		String asSource = this.admin.createAssociation(computer, unique("LIST-D"), "CAPTURE_ALL_RESTORE_ALL");
		String asDestination = this.admin.createAssociation(unique("LIST-S"), computer, "CAPTURE_ALL_RESTORE_ALL");
		this.admin.createAssociation(unique("OTHER"), unique("OTHER-D"), "CAPTURE_ALL_RESTORE_ALL");

		JsonNode page = this.admin.get(ASSOCIATIONS + "?computer=" + computer.toUpperCase(Locale.ROOT)).json();
		assertThat(page.path("total").asLong()).isEqualTo(2);
		assertThat(ids(page)).containsExactly(asDestination, asSource);

		assertThat(this.admin.get(ASSOCIATIONS + "?state=CREATED&computer=" + computer).json().path("total").asLong())
			.isEqualTo(2);
		assertThat(this.admin.get(ASSOCIATIONS + "?state=CAPTURED&computer=" + computer).json().path("total").asLong())
			.isZero();
		assertThat(this.admin.get(ASSOCIATIONS + "?computer=" + unique("NOBODY")).json().path("items").isEmpty())
			.isTrue();
	}

	@Test
	void stateFilterFindsCapturedAssociations() {
		Captured captured = captured(new byte[10]);
		JsonNode page = this.admin.get(ASSOCIATIONS + "?state=CAPTURED&size=500").json();
		assertThat(page.path("items").values()).allMatch((a) -> a.path("state").asString().equals("CAPTURED"));
		assertThat(this.admin.get(ASSOCIATIONS + "?state=CAPTURED&computer=" + captured.source().name())
			.json()
			.path("items")
			.get(0)
			.path("id")
			.asString()).isEqualTo(captured.associationId());
	}

	@Test
	void pagesThroughTheAssociationsNewestFirst() {
		String source = unique("PAGED");
		List<String> created = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			created.add(0, this.admin.createAssociation(source, unique("PAGED-D"), "CAPTURE_ALL_RESTORE_ALL"));
		}
		List<String> seen = new ArrayList<>();
		for (int page = 0; page < 3; page++) {
			JsonNode result = this.admin.get(ASSOCIATIONS + "?computer=" + source + "&size=2&page=" + page).json();
			assertThat(result.path("page").asInt()).isEqualTo(page);
			assertThat(result.path("size").asInt()).isEqualTo(2);
			assertThat(result.path("total").asLong()).isEqualTo(3);
			assertThat(result.path("items").size()).isEqualTo(List.of(2, 1, 0).get(page));
			seen.addAll(ids(result));
		}
		assertThat(seen).containsExactlyElementsOf(created);
	}

	@Test
	void pageDefaultsToTheFirstFiftyAndAcceptsUpToFiveHundred() {
		JsonNode page = this.admin.get(ASSOCIATIONS).json();
		assertThat(page.path("page").asInt()).isZero();
		assertThat(page.path("size").asInt()).isEqualTo(50);
		assertThat(this.admin.get(ASSOCIATIONS + "?size=500").status()).isEqualTo(200);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidListQueries")
	void invalidListQueryIsAValidationProblem(String query) {
		assertProblem(this.admin.get(ASSOCIATIONS + "?" + query), 400, "validation");
	}

	static Stream<String> invalidListQueries() {
		return Stream.of("size=501", "size=0", "page=-1", "page=x", "state=SOMEWHERE");
	}

	@Test
	void pageFarBeyondTheEndIsEmpty() {
		Response response = this.admin.get(ASSOCIATIONS + "?page=2147483647&size=500");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().path("items").isEmpty()).isTrue();
	}

	@Test
	void deletesAnAssociationOnce() {
		String id = this.admin.createAssociation(unique("DEL"), unique("DEL-D"), "CAPTURE_ALL_RESTORE_ALL");
		Response deleted = this.admin.delete(ASSOCIATIONS + "/" + id);
		assertThat(deleted.status()).isEqualTo(204);
		assertThat(deleted.body()).isEmpty();
		assertProblem(this.admin.get(ASSOCIATIONS + "/" + id), 404, "not-found");
		assertProblem(this.admin.delete(ASSOCIATIONS + "/" + id), 404, "not-found");
	}

	@Test
	void deletingASourceSpecifiedAssociationFreesTheSourceForANewOne() {
		String source = unique("FREED");
		String id = this.admin.createAssociation(source, unique("FREED-D"), "CAPTURE_SPECIFIED_RESTORE_SPECIFIED",
				"alice");
		assertThat(this.admin.delete(ASSOCIATIONS + "/" + id).status()).isEqualTo(204);
		this.admin.createAssociation(source, unique("FREED-D"), "CAPTURE_SPECIFIED_RESTORE_SPECIFIED", "alice");
	}

	@Test
	void deleteOfUnrestoredDataNeedsForceAndThenShredsIt() throws Exception {
		Captured captured = captured(new byte[4096]);
		String id = captured.associationId();
		List<StoreRow> before = storeRows(id);
		assertThat(before).hasSize(1);
		Path file = before.get(0).file(id);
		assertThat(file).exists();
		assertThat(before.get(0).keyShredded()).isFalse();

		assertProblem(this.admin.delete(ASSOCIATIONS + "/" + id), 409, "invalid-state");
		assertThat(this.admin.association(id).path("state").asString()).isEqualTo("CAPTURED");
		assertThat(file).exists();

		assertThat(this.admin.delete(ASSOCIATIONS + "/" + id + "?force=true").status()).isEqualTo(204);
		assertProblem(this.admin.get(ASSOCIATIONS + "/" + id), 404, "not-found");
		assertThat(file).doesNotExist();
		Path directory = this.server.dataDir().resolve("stores").resolve(id);
		if (Files.exists(directory)) {
			try (Stream<Path> left = Files.list(directory)) {
				assertThat(left).isEmpty();
			}
		}
		assertThat(storeRows(id)).isNotEmpty().allMatch(StoreRow::keyShredded);
		assertThat(captured.source().requestStateStore("CAPTURE").problem()).isEqualTo("no-association");
		assertThat(captured.destination().requestStateStore("RESTORE").problem()).isEqualTo("no-association");
	}

	@Test
	void restoredAssociationIsDeletedWithoutForce() {
		Captured captured = captured(new byte[100]);
		Grant restore = captured.destination().request("RESTORE");
		assertThat(captured.destination().download(restore.storeUrl(), restore.token(), null).statusCode())
			.isEqualTo(200);
		assertThat(captured.destination().release(restore.token(), true).status()).isEqualTo(200);
		assertThat(this.admin.delete(ASSOCIATIONS + "/" + captured.associationId()).status()).isEqualTo(204);
		assertThat(storeRows(captured.associationId())).allMatch(StoreRow::keyShredded);
	}

	private List<StoreRow> storeRows(String associationId) {
		return this.jdbc.sql("SELECT folder, file_name, data_key_wrapped FROM state_store WHERE association_id = ?")
			.param(UUID.fromString(associationId))
			.query((rs, row) -> new StoreRow(rs.getString("folder"), rs.getString("file_name"),
					rs.getBytes("data_key_wrapped") == null))
			.list();
	}

	private static List<String> ids(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.path("items").forEach((item) -> ids.add(item.path("id").asString()));
		assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
		return ids;
	}

	private record StoreRow(String folder, String fileName, boolean keyShredded) {

		Path file(String associationId) {
			return Path.of(this.folder).resolve(associationId).resolve(this.fileName);
		}

	}

}
