package org.statemigration.smp.pki;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A computer's SMBIOS UUID and MAC addresses: operators set them (on the computer or with an association), each
 * belongs to one computer, and a renamed or reimaged computer is recognised by them when it enrolls or asks for
 * its status, without ever getting another computer's certificate. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class ComputerIdentityIntegrationTests extends AdminApiTestSupport {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void anOsdManagerReplacesTheIdentityInItsOneWrittenForm() {
		String name = unique("ID");
		this.admin.createAssociation(name, unique("ID-D"), "CAPTURE_ALL_RESTORE_ALL");
		OperatorClient manager = this.admin.createOperator(unique("idmgr").toLowerCase(), "OSD_MANAGER");
		UUID guid = UUID.randomUUID();

		Response response = manager.put("/api/v1/computers/" + name + "/identity",
				Map.of("smbiosGuid", "{" + guid.toString().toUpperCase() + "}", "macAddresses",
						List.of(mac(1).toLowerCase(), mac(2).replace(':', '-'), mac(3).replace(":", ""), mac(1))));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		JsonNode shown = this.admin.get("/api/v1/computers/" + name).json();
		assertThat(shown.path("smbiosGuid").asString()).isEqualTo(guid.toString());
		assertThat(shown.path("macAddresses").values()).extracting(JsonNode::asString)
			.containsExactly(mac(1), mac(2), mac(3));

		assertThat(manager.put("/api/v1/computers/" + name + "/identity", Map.of("macAddresses", List.of(mac(4))))
			.status()).isEqualTo(200);
		JsonNode replaced = this.admin.get("/api/v1/computers/" + name).json();
		assertThat(replaced.path("smbiosGuid").isNull()).isTrue();
		assertThat(replaced.path("macAddresses").values()).extracting(JsonNode::asString).containsExactly(mac(4));
		// the address given up is free for another computer
		String other = unique("ID-O");
		this.admin.createAssociation(other, other, "CAPTURE_ALL_RESTORE_ALL");
		assertThat(this.admin.put("/api/v1/computers/" + other + "/identity",
				Map.of("smbiosGuid", guid.toString(), "macAddresses", List.of(mac(1)))).status()).isEqualTo(200);
		assertThat(this.admin.get("/api/v1/audit?action=computer.identity&size=500").body()).contains(name, other);
	}

	@Test
	void replacingTheIdentityIsForOsdManagersOnly() {
		String name = unique("IDSEC");
		this.admin.createAssociation(name, name, "CAPTURE_ALL_RESTORE_ALL");
		String path = "/api/v1/computers/" + name + "/identity";
		Map<String, Object> body = Map.of("macAddresses", List.of(mac(10)));
		assertProblem(this.server.anonymous().put(path, body), 401, "unauthorized");
		for (String role : List.of("AUDITOR", "RECOVERY_VIEWER")) {
			OperatorClient wrong = this.admin.createOperator(unique("id" + role).toLowerCase(), role);
			assertProblem(wrong.put(path, body), 403, "forbidden");
		}
		assertThat(this.admin.get("/api/v1/computers/" + name).json().path("macAddresses").isEmpty()).isTrue();
		assertThat(this.admin.put(path, body).status()).isEqualTo(200);
		assertProblem(this.admin.put("/api/v1/computers/" + unique("NOBODY") + "/identity", body), 404, "not-found");
	}

	@Test
	void refusesAddressesAndUuidsThatNameNoSingleComputer() {
		String name = unique("IDBAD");
		this.admin.createAssociation(name, name, "CAPTURE_ALL_RESTORE_ALL");
		String path = "/api/v1/computers/" + name + "/identity";
		for (String bad : List.of("00:00:00:00:00:00", "FF:FF:FF:FF:FF:FF", "01:00:5E:00:00:FB", "33-33-00-00-00-01",
				"00:1A:2B:3C:4D", "00:1A:2B:3C:4D:5E:6F", "00:1A-2B:3C:4D:5E", "G0:1A:2B:3C:4D:5E", "")) {
			assertProblem(this.admin.put(path, Map.of("macAddresses", List.of(bad))), 400, "validation");
		}
		List<String> nine = java.util.stream.IntStream.range(20, 29).mapToObj(ComputerIdentityIntegrationTests::mac)
			.toList();
		assertProblem(this.admin.put(path, Map.of("macAddresses", nine)), 400, "validation");
		for (String bad : List.of("00000000-0000-0000-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
				"not-a-uuid", "{4C4C4544-0042-3510-8052-B4C04F564433")) {
			assertProblem(this.admin.put(path, Map.of("smbiosGuid", bad)), 400, "validation");
		}
		assertThat(this.admin.put(path, Map.of("macAddresses", nine.subList(0, 8))).status()).isEqualTo(200);
	}

	@Test
	void aUuidOrAddressBelongsToOneComputer() {
		String first = unique("IDONE");
		String second = unique("IDTWO");
		this.admin.createAssociation(first, second, "CAPTURE_ALL_RESTORE_ALL");
		UUID guid = UUID.randomUUID();
		assertThat(this.admin.put("/api/v1/computers/" + first + "/identity",
				Map.of("smbiosGuid", guid.toString(), "macAddresses", List.of(mac(30)))).status()).isEqualTo(200);

		Response uuidTaken = this.admin.put("/api/v1/computers/" + second + "/identity",
				Map.of("smbiosGuid", guid.toString()));
		assertProblem(uuidTaken, 409, "identity-conflict");
		assertThat(uuidTaken.json().path("detail").asString()).contains(first);
		assertProblem(this.admin.put("/api/v1/computers/" + second + "/identity",
				Map.of("macAddresses", List.of(mac(31), mac(30).replace(":", "-")))), 409, "identity-conflict");
		JsonNode unchanged = this.admin.get("/api/v1/computers/" + second).json();
		assertThat(unchanged.path("smbiosGuid").isNull()).isTrue();
		assertThat(unchanged.path("macAddresses").isEmpty()).isTrue();
	}

	@Test
	void anAssociationAddsToTheIdentityOfItsComputersAndRefusesConflicts() {
		String source = unique("IDA-S");
		String destination = unique("IDA-D");
		UUID sourceGuid = UUID.randomUUID();
		Response created = this.admin.post("/api/v1/associations", Map.of("sourceComputer", source,
				"destinationComputer", destination, "userAccounts", Map.of("mode", "CAPTURE_ALL_RESTORE_ALL"),
				"sourceSmbiosGuid", sourceGuid.toString(), "sourceMacAddresses", List.of(mac(40)),
				"destinationMacAddresses", List.of(mac(41).replace(":", ""))));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(this.admin.get("/api/v1/computers/" + source).json().path("smbiosGuid").asString())
			.isEqualTo(sourceGuid.toString());
		assertThat(this.admin.get("/api/v1/computers/" + destination).json().path("macAddresses").get(0).asString())
			.isEqualTo(mac(41));

		// another association of the same source with another UUID: refused, not replaced, and nothing is created
		String third = unique("IDA-T");
		Response conflicting = this.admin.post("/api/v1/associations", Map.of("sourceComputer", source,
				"destinationComputer", third, "userAccounts", Map.of("mode", "CAPTURE_ALL_RESTORE_ALL"),
				"sourceSmbiosGuid", UUID.randomUUID().toString()));
		assertProblem(conflicting, 409, "identity-conflict");
		Response taken = this.admin.post("/api/v1/associations", Map.of("sourceComputer", third,
				"destinationComputer", third, "userAccounts", Map.of("mode", "CAPTURE_ALL_RESTORE_ALL"),
				"sourceMacAddresses", List.of(mac(40))));
		assertProblem(taken, 409, "identity-conflict");
		assertThat(this.admin.get("/api/v1/computers/" + third).status()).isEqualTo(404);
		assertProblem(this.admin.post("/api/v1/associations", Map.of("sourceComputer", third,
				"destinationComputer", third, "userAccounts", Map.of("mode", "CAPTURE_ALL_RESTORE_ALL"),
				"destinationSmbiosGuid", "00000000-0000-0000-0000-000000000000")), 400, "validation");
	}

	@Test
	void aRenamedComputerIsRecognisedByItsUuidAndGetsItsOwnCertificate() {
		String name = unique("REN");
		this.admin.createAssociation(name, name, "CAPTURE_ALL_RESTORE_ALL");
		UUID guid = UUID.randomUUID();
		this.admin.put("/api/v1/computers/" + name + "/identity", Map.of("smbiosGuid", guid.toString()));
		String newName = unique("REN-NEW");

		ComputerClient computer = this.server.computer(name);
		Response enrolled = computer.enroll(this.admin.enrollmentCode(name),
				Map.of("computerName", newName, "smbiosGuid", guid.toString(), "macAddresses", List.of(mac(50))));

		assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
		assertThat(enrolled.json().path("computer").asString()).isEqualTo(name);
		assertThat(enrolled.json().path("matchedBy").asString()).isEqualTo("SMBIOS_GUID");
		assertThat(computer.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=" + name);
		assertThat(this.admin.get("/api/v1/computers/" + newName).status()).isEqualTo(404);
		// the address it presented is recorded, since no other computer has it
		assertThat(this.admin.get("/api/v1/computers/" + name).json().path("macAddresses").get(0).asString())
			.isEqualTo(mac(50));
		assertThat(this.admin.get("/api/v1/audit?action=enrollment&size=500").body())
			.contains("matchedBy=SMBIOS_GUID").contains(newName);

		JsonNode status = status(computer, "?computerName=" + newName + "&macAddress=" + mac(50));
		assertThat(status.path("computer").asString()).isEqualTo(name);
		assertThat(status.path("matchedBy").asString()).isEqualTo("MAC_ADDRESS");
		assertThat(status(computer, "?computerName=" + name).path("matchedBy").asString()).isEqualTo("NAME");
		assertThat(status(computer, "").path("matchedBy").isNull()).isTrue();
		assertThat(this.admin.get("/api/v1/audit?action=computer.status&size=500").body()).contains("matchedBy=MAC_ADDRESS");
	}

	@Test
	void aReimagedComputerIsRecognisedByAMacAddressAndItsUuidIsLearned() {
		String name = unique("REIMG");
		this.admin.createAssociation(name, name, "CAPTURE_ALL_RESTORE_ALL");
		this.admin.put("/api/v1/computers/" + name + "/identity", Map.of("macAddresses", List.of(mac(60))));
		UUID guid = UUID.randomUUID();

		Response enrolled = this.server.computer(name)
			.enroll(this.admin.enrollmentCode(name), Map.of("computerName", unique("MININT"), "smbiosGuid",
					guid.toString(), "macAddresses", List.of(mac(60).replace(':', '-'))));

		assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
		assertThat(enrolled.json().path("matchedBy").asString()).isEqualTo("MAC_ADDRESS");
		assertThat(this.admin.get("/api/v1/computers/" + name).json().path("smbiosGuid").asString())
			.isEqualTo(guid.toString());
	}

	@Test
	void aUuidThatContradictsTheCodesComputerIsRefusedAndTheCodeStaysUnspent() {
		String name = unique("CONTRA");
		this.admin.createAssociation(name, name, "CAPTURE_ALL_RESTORE_ALL");
		this.admin.put("/api/v1/computers/" + name + "/identity",
				Map.of("smbiosGuid", UUID.randomUUID().toString()));
		String code = this.admin.enrollmentCode(name);
		ComputerClient computer = this.server.computer(name);

		Response refused = computer.enroll(code,
				Map.of("computerName", name, "smbiosGuid", UUID.randomUUID().toString()));

		assertProblem(refused, 409, "identity-conflict");
		assertThat(this.admin.get("/api/v1/computers/" + name).json().path("certificates").isEmpty()).isTrue();
		assertThat(this.admin.get("/api/v1/audit?action=enrollment&size=500").body())
			.contains("identity conflict");
		assertThat(computer.enroll(code, Map.of("computerName", name)).status()).isEqualTo(201);
	}

	@Test
	void anotherComputersUuidOrNameNeverGetsThatComputersCertificate() {
		// the hardware of computer A presents B's code: whatever it says, it is refused or enrolled as B, never A
		String a = unique("OWN-A");
		String b = unique("OWN-B");
		this.admin.createAssociation(a, b, "CAPTURE_ALL_RESTORE_ALL");
		UUID aGuid = UUID.randomUUID();
		this.admin.put("/api/v1/computers/" + a + "/identity",
				Map.of("smbiosGuid", aGuid.toString(), "macAddresses", List.of(mac(70))));
		String code = this.admin.enrollmentCode(b);
		ComputerClient hardwareOfA = this.server.computer(a);

		assertProblem(hardwareOfA.enroll(code, Map.of("smbiosGuid", aGuid.toString())), 409, "identity-conflict");
		assertProblem(hardwareOfA.enroll(code, Map.of("computerName", a)), 409, "identity-conflict");
		assertProblem(hardwareOfA.enroll(code, Map.of("computerName", a, "macAddresses", List.of(mac(70)))), 409,
				"identity-conflict");
		assertThat(this.admin.get("/api/v1/computers/" + a).json().path("certificates").isEmpty()).isTrue();
		assertThat(this.admin.get("/api/v1/computers/" + b).json().path("certificates").isEmpty()).isTrue();

		// a MAC address alone, such as a docking station's, does not refuse: the code decides, the address is
		// not taken from A
		Response enrolled = hardwareOfA.enroll(code, Map.of("macAddresses", List.of(mac(70))));
		assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
		assertThat(enrolled.json().path("computer").asString()).isEqualTo(b);
		assertThat(enrolled.json().path("matchedBy").isNull()).isTrue();
		assertThat(this.admin.get("/api/v1/computers/" + b).json().path("macAddresses").isEmpty()).isTrue();
	}

	@Test
	void statusRefusesAUuidThatContradictsTheCertificatesComputer() {
		ComputerClient computer = enrolledComputer("ST-ID");
		this.admin.put("/api/v1/computers/" + computer.name() + "/identity",
				Map.of("smbiosGuid", UUID.randomUUID().toString()));

		HttpResponse<String> response = computer.exchange(HttpRequest
			.newBuilder(this.server.uri("/api/v1/mp/status?smbiosGuid=" + UUID.randomUUID())).GET().build());

		assertThat(response.statusCode()).isEqualTo(409);
		assertThat(json.readTree(response.body()).path("type").asString())
			.isEqualTo("urn:smp:problem:identity-conflict");
		HttpResponse<String> malformed = computer.exchange(HttpRequest
			.newBuilder(this.server.uri("/api/v1/mp/status?macAddress=FF-FF-FF-FF-FF-FF")).GET().build());
		assertThat(malformed.statusCode()).isEqualTo(400);
	}

	private JsonNode status(ComputerClient computer, String query) {
		HttpResponse<String> response = computer
			.exchange(HttpRequest.newBuilder(this.server.uri("/api/v1/mp/status" + query)).GET().build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	/** A unicast, locally administered address that no other test uses: 02:xx:xx:xx:xx:nn. */
	private static String mac(int n) {
		return String.format("02:%s:%02X", RUN_MAC, n);
	}

	private static final String RUN_MAC = runMac();

	private static String runMac() {
		long bits = System.nanoTime() ^ Double.doubleToLongBits(Math.random());
		return String.format("%02X:%02X:%02X:%02X", (bits >> 8) & 0xFF, (bits >> 16) & 0xFF, (bits >> 24) & 0xFF,
				(bits >> 32) & 0xFF);
	}

}
