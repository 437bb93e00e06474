package org.statemigration.smp.backup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.backup.BackupCommands.Result;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.NeedsPostgres;
import org.statemigration.smp.support.OperationsTest;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code backup} on the embedded H2 and {@code restore-backup} onto PostgreSQL, with the packaged server and the
 * commands each in a process of its own: every committed store comes back byte for byte through the client API, the
 * audit chain verifies and records the restore, a second backup into the same folder copies only the new store, and
 * a damaged or incomplete backup, a wrong passphrase and a backup from a newer schema are refused without changing
 * the target.
 */
@ServerProcessTest
@OperationsTest
@NeedsPostgres
class BackupIntegrationTests {

	private static final Pattern COPIED = Pattern.compile("(\\d+) of them copied now \\((\\d+) bytes\\)");

	@TempDir
	Path temp;

	private final List<ProcessDatabase> databases = new ArrayList<>();

	@AfterEach
	void dropTheDatabases() throws SQLException {
		for (ProcessDatabase database : this.databases) {
			database.close();
		}
	}

	@Test
	void movesEveryStoreFromH2ToPostgresAndCopiesOnlyNewStoresTheSecondTime() throws Exception {
		Path source = this.temp.resolve("h2");
		Path backup = this.temp.resolve("backup");
		BackupCommands commands = new BackupCommands(this.temp);
		Map<String, byte[]> captured = new LinkedHashMap<>();
		Map<String, ComputerClient> destinations = new LinkedHashMap<>();
		String heldId;
		String restoredId;
		try (ServerProcess process = ServerProcess.start(source, "256m")) {
			TestServer server = process.client();
			for (int size : new int[] { 1, (1 << 20) + 7, 6 << 20 }) {
				String name = "BK" + size;
				captured.put(name, random(size, size));
				capture(server, name, captured.get(name));
				destinations.put(name, enroll(server, name + "-NEW"));
			}
			heldId = capture(server, "HELD", captured.computeIfAbsent("HELD", (n) -> random(2 << 20, 3)));
			destinations.put("HELD", enroll(server, "HELD-NEW"));
			assertThat(server.admin()
				.put("/api/v1/associations/" + heldId + "/legal-hold", Map.of("hold", true, "reason", "Case 2024-7"))
				.status()).isEqualTo(200);
			restoredId = capture(server, "DONE", captured.computeIfAbsent("DONE", (n) -> random(512 << 10, 4)));
			ComputerClient done = enroll(server, "DONE-NEW");
			assertThat(restore(done)).isEqualTo(captured.get("DONE"));
		}

		Result first = commands.run(Map.of(), args("backup", "--to", backup, source, List.of()));
		assertThat(first.exitCode()).as(first.output()).isZero();
		assertThat(first.output()).contains("5 state store(s)").contains("The master key is NOT in this backup");
		assertThat(copied(first)).isEqualTo(storeBytes(backup));

		byte[] late = random(300_000, 9);
		try (ServerProcess process = ServerProcess.start(source, "256m")) {
			TestServer server = process.client();
			capture(server, "LATE", late);
			destinations.put("LATE", enroll(server, "LATE-NEW"));
			captured.put("LATE", late);
		}
		long before = storeBytes(backup);
		Result second = commands.run(Map.of(), args("backup", "--to", backup, source, List.of()));
		assertThat(second.exitCode()).as(second.output()).isZero();
		Matcher incremental = COPIED.matcher(second.output());
		assertThat(incremental.find()).as(second.output()).isTrue();
		assertThat(incremental.group(1)).isEqualTo("1");
		assertThat(Long.parseLong(incremental.group(2))).isEqualTo(storeBytes(backup) - before).isLessThan(400_000);

		ProcessDatabase postgres = postgres("bkp_moved");
		Path target = this.temp.resolve("pg");
		Files.createDirectories(target.resolve("keys"));
		Files.copy(source.resolve("keys/master.key"), target.resolve("keys/master.key"));
		Result restored = commands.run(Map.of(), args("restore-backup", "--from", backup, target, postgres.arguments()));
		assertThat(restored.exitCode()).as(restored.output()).isZero();
		assertThat(restored.output()).contains("Audit chain verified: true");
		// the operators' passwords are the backup's; the test reads admin's from the file the first server wrote
		Files.copy(source.resolve("initial-admin-password"), target.resolve("initial-admin-password"));

		try (ServerProcess process = ServerProcess.start(target, "256m", postgres.arguments(), false)) {
			TestServer server = process.client();
			for (Map.Entry<String, byte[]> store : captured.entrySet()) {
				if (store.getKey().equals("DONE")) {
					continue;
				}
				ComputerClient destination = destinations.get(store.getKey()).at(server);
				assertThat(restore(destination)).as(store.getKey()).isEqualTo(store.getValue());
			}
			OperatorClient admin = server.admin();
			assertThat(admin.association(heldId).path("legalHold").asBoolean()).isTrue();
			assertThat(admin.association(restoredId).path("state").asString()).isEqualTo("RESTORED");
			JsonNode verification = admin.get("/api/v1/audit/verify").json();
			assertThat(verification.path("valid").asBoolean()).as(verification.toString()).isTrue();
			assertThat(admin.get("/api/v1/audit?action=backup.restore").body()).contains("backup.restore");
			// the identity column of the legal holds' history was moved past the loaded ids
			assertThat(admin.put("/api/v1/associations/" + heldId + "/legal-hold",
					Map.of("hold", false, "reason", "Case closed")).status()).isEqualTo(200);
		}
	}

	@Test
	void refusesADamagedOrIncompleteBackupAWrongPassphraseAndANewerSchemaWithoutChangingTheTarget() throws Exception {
		Path source = this.temp.resolve("h2");
		Path backup = this.temp.resolve("backup");
		BackupCommands commands = new BackupCommands(this.temp);
		byte[] data = random(200_000, 5);
		ComputerClient destination;
		try (ServerProcess process = ServerProcess.start(source, "256m")) {
			TestServer server = process.client();
			capture(server, "KEYS", data);
			destination = enroll(server, "KEYS-NEW");
		}
		Path passphrase = this.temp.resolve("passphrase");
		Files.writeString(passphrase, "correct horse battery staple\n");
		Result made = commands.run(Map.of(),
				args("backup", "--to", backup, source, List.of("--include-keys", "--passphrase-file=" + passphrase)));
		assertThat(made.exitCode()).as(made.output()).isZero();
		assertThat(commands.run(Map.of(), List.of("backup", "--to", backup.toString(), "--passphrase=x")).exitCode())
			.isEqualTo(2);

		ProcessDatabase postgres = postgres("bkp_refused");
		Path target = this.temp.resolve("target");
		Result wrong = commands.run(Map.of("SMP_BACKUP_PASSPHRASE", "not the passphrase"),
				args("restore-backup", "--from", backup, target, postgres.arguments()));
		assertThat(wrong.exitCode()).as(wrong.output()).isEqualTo(3);
		assertThat(wrong.output()).contains("passphrase does not open");
		assertUnchanged(target, postgres);

		Path damaged = copyOf(backup, "damaged");
		Path store;
		try (Stream<Path> files = Files.walk(damaged.resolve("stores"))) {
			store = files.filter(Files::isRegularFile).findFirst().orElseThrow();
		}
		byte[] bytes = Files.readAllBytes(store);
		bytes[bytes.length / 2] ^= 1;
		Files.write(store, bytes);
		Result corrupt = commands.run(Map.of("SMP_BACKUP_PASSPHRASE", "correct horse battery staple"),
				args("restore-backup", "--from", damaged, target, postgres.arguments()));
		assertThat(corrupt.exitCode()).as(corrupt.output()).isEqualTo(3);
		assertThat(corrupt.output()).contains("damaged").contains(store.getFileName().toString());
		assertUnchanged(target, postgres);

		Path incomplete = copyOf(backup, "incomplete");
		Files.delete(incomplete.resolve("tables/operator.jsonl"));
		Result missing = commands.run(Map.of("SMP_BACKUP_PASSPHRASE", "correct horse battery staple"),
				args("restore-backup", "--from", incomplete, target, postgres.arguments()));
		assertThat(missing.exitCode()).as(missing.output()).isEqualTo(3);
		assertThat(missing.output()).contains("incomplete").contains("tables/operator.jsonl is missing");
		assertUnchanged(target, postgres);

		Path newer = copyOf(backup, "newer");
		Path manifest = newer.resolve("manifest.json");
		Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"schemaVersion\" : \"[0-9.]+\"",
				"\"schemaVersion\" : \"999\""));
		Result future = commands.run(Map.of("SMP_BACKUP_PASSPHRASE", "correct horse battery staple"),
				args("restore-backup", "--from", newer, target, postgres.arguments()));
		assertThat(future.exitCode()).as(future.output()).isEqualTo(3);
		assertThat(future.output()).contains("schema version 999");
		assertUnchanged(target, postgres);

		Result restored = commands.run(Map.of(), args("restore-backup", "--from", backup, target,
				List.of(postgres.arguments().toArray(String[]::new)), "--passphrase-file=" + passphrase));
		assertThat(restored.exitCode()).as(restored.output()).isZero();
		assertThat(restored.output()).contains("came from the backup's keys");
		// clients pinned the server's certificate: the restored server presents the same key store
		assertThat(Files.readAllBytes(target.resolve("tls/server.p12")))
			.isEqualTo(Files.readAllBytes(source.resolve("tls/server.p12")));
		Files.copy(source.resolve("initial-admin-password"), target.resolve("initial-admin-password"));
		try (ServerProcess process = ServerProcess.start(target, "256m", postgres.arguments(), false)) {
			assertThat(restore(destination.at(process.client()))).isEqualTo(data);
		}
	}

	private static void assertUnchanged(Path target, ProcessDatabase postgres) throws IOException {
		assertThat(Files.exists(target.resolve("keys/master.key"))).as("master key written").isFalse();
		assertThat(postgres.column("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"))
			.containsExactly("0");
		if (Files.exists(target.resolve("stores"))) {
			try (Stream<Path> files = Files.walk(target.resolve("stores"))) {
				assertThat(files.filter(Files::isRegularFile)).isEmpty();
			}
		}
	}

	private ProcessDatabase postgres(String name) {
		ProcessDatabase database = ProcessDatabase.freshPostgres(name);
		this.databases.add(database);
		return database;
	}

	private Path copyOf(Path backup, String name) throws IOException {
		Path copy = this.temp.resolve(name);
		try (Stream<Path> files = Files.walk(backup)) {
			for (Path file : files.toList()) {
				Path target = copy.resolve(backup.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
		return copy;
	}

	static List<String> args(String command, String folderOption, Path folder, Path dataDir,
			List<String> datasource, String... more) {
		List<String> args = new ArrayList<>(List.of(command, folderOption, folder.toString()));
		args.addAll(List.of(more));
		args.addAll(BackupCommands.on(dataDir, datasource));
		return args;
	}

	private static long copied(Result result) {
		Matcher matcher = COPIED.matcher(result.output());
		assertThat(matcher.find()).as(result.output()).isTrue();
		return Long.parseLong(matcher.group(2));
	}

	private static long storeBytes(Path backup) throws IOException {
		try (Stream<Path> files = Files.walk(backup.resolve("stores"))) {
			return files.filter(Files::isRegularFile).mapToLong((file) -> file.toFile().length()).sum();
		}
	}

	/** Creates an association from {@code name} to {@code name-NEW}, captures the data and releases it. */
	static String capture(TestServer server, String name, byte[] data) {
		String id = server.admin().createAssociation(name, name + "-NEW", "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient source = enroll(server, name);
		Grant capture = source.request("CAPTURE");
		assertThat(source.upload(capture.storeUrl(), capture.token(), data, null).status()).isEqualTo(201);
		assertThat(source.release(capture.token(), true).status()).isEqualTo(200);
		return id;
	}

	static ComputerClient enroll(TestServer server, String name) {
		ComputerClient client = server.computer(name);
		assertThat(client.enroll(server.admin().enrollmentCode(name)).status()).isEqualTo(201);
		return client;
	}

	static byte[] restore(ComputerClient destination) {
		Grant restore = destination.request("RESTORE");
		HttpResponse<byte[]> response = destination.download(onServer(destination, restore.storeUrl()),
				restore.token(), null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(destination.release(restore.token(), true).status()).isEqualTo(200);
		return response.body();
	}

	static String onServer(ComputerClient client, String url) {
		return client.uri(URI.create(url).getPath()).toString();
	}

	static byte[] random(int size, long seed) {
		byte[] data = new byte[size];
		new Random(seed).nextBytes(data);
		return data;
	}

}
