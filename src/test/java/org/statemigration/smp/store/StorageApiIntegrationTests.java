package org.statemigration.smp.store;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/storage} and the {@code storage} health component on the shared test server: who may read
 * them, the shape of the answer, and figures that follow captures and the restore-only setting (locations taken out
 * of the configuration are in {@link FolderToS3IntegrationTests}). The test servers
 * have one folder, {@code <data-dir>/stores}, with {@code min-free-space=0MB} and a very high {@code max-clients}.
 */
@IntegrationTest
@OnBothDatabases
class StorageApiIntegrationTests extends AdminApiTestSupport {

	@Test
	void anonymousIsUnauthorized() {
		Response response = this.server.anonymous().get("/api/v1/storage");
		assertProblem(response, 401, "unauthorized");
		assertThat(response.header("WWW-Authenticate")).startsWith("Basic ");
	}

	@Test
	void wrongPasswordIsUnauthorized() {
		assertProblem(this.server.operator("admin", "not-the-password-at-all").get("/api/v1/storage"), 401,
				"unauthorized");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "ADMIN", "OSD_MANAGER", "RECOVERY_VIEWER", "AUDITOR" })
	void everyOperatorRoleMayRead(String role) {
		OperatorClient operator = this.admin.createOperator(unique("storage-" + role).toLowerCase(Locale.ROOT), role);
		Response response = operator.get("/api/v1/storage");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().path("folders").isArray()).isTrue();
	}

	@Test
	void describesTheConfiguredFolder() {
		JsonNode storage = storage();
		assertThat(fieldNames(storage)).containsExactlyInAnyOrder("folders", "restoreOnlyMode");
		assertThat(storage.path("folders")).hasSize(1);
		JsonNode folder = folder(storage);
		assertThat(fieldNames(folder)).containsExactlyInAnyOrder("id", "location", "kind", "configured", "maxClients",
				"clients", "versions", "minFreeSpace", "capacityBytes", "freeBytes", "usedBytes", "reservedBytes",
				"accepting");
		assertThat(folder.path("kind").asString()).isEqualTo("folder");
		assertThat(folder.path("configured").isBoolean()).isTrue();
		assertThat(folder.path("configured").asBoolean()).isTrue();
		assertThat(folder.path("versions").isIntegralNumber()).isTrue();
		assertThat(folder.path("versions").asLong()).isNotNegative();
		assertThat(folder.path("capacityBytes").isNull()).as("a folder has no capacity budget").isTrue();
		assertThat(folder.path("location").asString())
			.isEqualTo(this.server.dataDir().resolve("stores").toAbsolutePath().normalize().toString());
		assertThat(folder.path("id").asString()).isEqualTo(folder.path("location").asString());
		assertThat(folder.path("maxClients").asInt()).isEqualTo(100_000);
		assertThat(folder.path("minFreeSpace").asString()).isEqualTo("0MB");
		assertThat(folder.path("freeBytes").asLong()).isPositive();
		assertThat(folder.path("reservedBytes").asLong()).isNotNegative();
		assertThat(folder.path("accepting").asBoolean()).isTrue();
	}

	@Test
	void usedBytesClientsAndVersionsGrowWithACapture() {
		JsonNode before = folder(storage());
		captured(new byte[150_000]);
		JsonNode after = folder(storage());
		assertThat(after.path("usedBytes").asLong()).isGreaterThanOrEqualTo(before.path("usedBytes").asLong() + 150_000);
		assertThat(after.path("clients").asInt()).isGreaterThanOrEqualTo(before.path("clients").asInt() + 1);
		assertThat(after.path("versions").asLong()).isGreaterThanOrEqualTo(before.path("versions").asLong() + 1);
	}

	@Test
	void onlyConfiguredLocationsAreListedWhileNoOtherHoldsAVersion() {
		// a location taken out of the configuration is listed with configured false while it holds versions
		// (FolderToS3IntegrationTests); the test server's versions are all in its one folder
		for (JsonNode folder : storage().path("folders")) {
			assertThat(folder.path("configured").asBoolean()).as("%s", folder).isTrue();
		}
	}

	@Test
	void aRequestedCaptureTakesAClientSlotBeforeItUploads() {
		int before = folder(storage()).path("clients").asInt();
		String source = unique("SLOT-SRC");
		this.admin.createAssociation(source, unique("SLOT-DST"), "CAPTURE_ALL_RESTORE_ALL");
		var computer = this.server.computer(source);
		assertThat(computer.enroll(this.admin.enrollmentCode(source)).status()).isEqualTo(201);
		var capture = computer.request("CAPTURE");
		assertThat(folder(storage()).path("clients").asInt()).isGreaterThanOrEqualTo(before + 1);
		assertThat(computer.release(capture.token(), false).status()).isEqualTo(200);
	}

	@Test
	void restoreOnlyModeMirrorsTheSettings() {
		assertThat(storage().path("restoreOnlyMode").asBoolean()).isFalse();
		try {
			assertThat(this.admin.patch("/api/v1/settings", Map.of("restoreOnlyMode", true)).status()).isEqualTo(200);
			assertThat(storage().path("restoreOnlyMode").asBoolean()).isTrue();
		}
		finally {
			assertThat(this.admin.patch("/api/v1/settings", Map.of("restoreOnlyMode", false)).status())
				.isEqualTo(200);
		}
		assertThat(storage().path("restoreOnlyMode").asBoolean()).isFalse();
	}

	@Test
	void anonymousHealthShowsTheStatusOnly() {
		Response response = this.server.anonymous().get("/actuator/health");
		assertThat(response.status()).isEqualTo(200);
		assertThat(fieldNames(response.json())).containsExactly("status");
		assertThat(response.body()).doesNotContain("storage").doesNotContain(this.server.dataDir().toString());
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "ADMIN", "AUDITOR" })
	void adminsAndAuditorsSeeTheStorageFoldersInTheHealth(String role) {
		OperatorClient operator = this.admin.createOperator(unique("health-" + role).toLowerCase(Locale.ROOT), role);
		Response response = operator.get("/actuator/health");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		JsonNode storage = response.json().path("components").path("storage");
		assertThat(storage.path("status").asString()).isEqualTo("UP");
		JsonNode folder = storage.path("details").path(location());
		assertThat(folder.path("status").asString()).isEqualTo("UP");
		assertThat(folder.path("writable").asBoolean()).isTrue();
		assertThat(folder.path("usableBytes").asLong()).isPositive();
		assertThat(folder.path("minimumBytes").asLong()).isZero();
		assertThat(folder.path("minFreeSpace").asString()).isEqualTo("0MB");
	}

	@Test
	void otherRolesSeeTheHealthStatusOnly() {
		OperatorClient operator = this.admin.createOperator(unique("health-osd").toLowerCase(Locale.ROOT),
				"OSD_MANAGER");
		Response response = operator.get("/actuator/health");
		assertThat(response.status()).isEqualTo(200);
		assertThat(fieldNames(response.json())).containsExactly("status");
	}

	private JsonNode storage() {
		Response response = this.admin.get("/api/v1/storage");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	private JsonNode folder(JsonNode storage) {
		for (JsonNode folder : storage.path("folders")) {
			if (folder.path("location").asString().equals(location())) {
				return folder;
			}
		}
		throw new AssertionError("No folder " + location() + " in " + storage);
	}

	private String location() {
		return this.server.dataDir().resolve("stores").toAbsolutePath().normalize().toString();
	}

	static List<String> fieldNames(JsonNode node) {
		return node.propertyNames().stream().toList();
	}

}
