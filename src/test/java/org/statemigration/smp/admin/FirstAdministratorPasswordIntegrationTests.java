package org.statemigration.smp.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first start's password file: the log says where it is and how to change the password, never the password;
 * the file is deleted once the administrator has changed it.
 */
@ServerProcessTest
class FirstAdministratorPasswordIntegrationTests {

	@TempDir
	Path temp;

	@Test
	void theFileGoesOnceTheAdministratorChangedThePassword() throws Exception {
		Path data = this.temp.resolve("data");
		try (ServerProcess process = ServerProcess.start(data, "256m")) {
			TestServer server = process.client();
			Path file = data.resolve("initial-admin-password");
			String initial = server.adminPassword();
			String log = Files.readString(process.log());
			assertThat(log).contains("Created the first administrator 'admin'", file.getFileName().toString(),
					"/console/password", "POST /api/v1/me/password", "the file is deleted once it is changed")
				.doesNotContain(initial);

			OperatorClient admin = server.admin();
			assertThat(admin.post("/api/v1/me/password",
					Map.of("currentPassword", "not-the-initial-one", "newPassword", "a-brand-new-password-1"))
				.status()).isEqualTo(400);
			assertThat(file).exists();
			assertThat(admin.post("/api/v1/me/password",
					Map.of("currentPassword", initial, "newPassword", "a-brand-new-password-1")).status())
				.isEqualTo(204);
			assertThat(file).doesNotExist();
			assertThat(server.operator("admin", initial).get("/api/v1/admins").status()).isEqualTo(401);
			assertThat(server.operator("admin", "a-brand-new-password-1").get("/api/v1/admins").status())
				.isEqualTo(200);
			assertThat(Files.readString(process.log())).doesNotContain("a-brand-new-password-1");
		}
	}

}
