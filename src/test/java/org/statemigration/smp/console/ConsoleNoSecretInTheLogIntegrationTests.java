package org.statemigration.smp.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statemigration.smp.console.ConsoleClient.Page;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's secrets against a server process logging at DEBUG, the framework's web and security layers
 * included: passwords typed into the sign-in and operator forms, recovery information and enrollment codes shown
 * on pages must never reach the application log.
 */
@ServerProcessTest
class ConsoleNoSecretInTheLogIntegrationTests {

	@TempDir
	Path temp;

	@Test
	void noPasswordKeyOrCodeFromTheConsoleAppearsInTheApplicationLog() throws Exception {
		List<String> secrets = new ArrayList<>();
		try (ServerProcess process = ServerProcess.start(this.temp.resolve("data"), "256m",
				"--logging.level.org.statemigration.smp=DEBUG", "--logging.level.org.springframework.web=DEBUG",
				"--logging.level.org.springframework.security=DEBUG")) {
			TestServer server = process.client();
			OperatorClient admin = server.admin();
			secrets.add(server.adminPassword());
			assertThat(new ConsoleClient(server).signIn("admin", "wrong-console-password-42").location())
				.isEqualTo("/login?error");
			secrets.add("wrong-console-password-42");
			ConsoleClient console = ConsoleClient.signedIn(server, "admin", server.adminPassword());

			Page created = console.submit("/console/operators", "/console/operators", Map.of("username", "logviewer",
					"password", "console-typed-password-77", "roles", "RECOVERY_VIEWER", "enabled", "true"));
			assertThat(created.status()).isEqualTo(302);
			secrets.add("console-typed-password-77");
			ConsoleClient viewer = ConsoleClient.signedIn(server, "logviewer", "console-typed-password-77");

			String id = admin.createAssociation("CLOG-OLD", "CLOG-NEW", "CAPTURE_ALL_RESTORE_ALL");
			Page recovery = viewer.submit("/console/associations/" + id,
					"/console/associations/" + id + "/recovery-information", Map.of("reason", "ticket 77 lost key"));
			secrets.add(shown(recovery, "encryption-key"));
			Page code = console.submit("/console/computers/CLOG-NEW", "/console/computers/CLOG-NEW/enrollment-codes",
					Map.of());
			secrets.add(shown(code, "enrollment-code"));

			String log = Files.readString(process.log());
			assertThat(log).contains("/console/associations/" + id + "/recovery-information");
			for (String secret : secrets) {
				assertThat(log).as("a secret in the application log").doesNotContain(secret);
			}
		}
	}

	private static String shown(Page page, String id) {
		assertThat(page.status()).isEqualTo(200);
		Matcher shown = Pattern.compile("id=\"" + id + "\">([^<]+)<").matcher(page.body());
		assertThat(shown.find()).as("%s on the page", id).isTrue();
		return shown.group(1);
	}

}
