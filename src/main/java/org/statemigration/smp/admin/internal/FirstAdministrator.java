package org.statemigration.smp.admin.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.admin.OperatorAccounts;
import org.statemigration.smp.admin.Role;
import org.statemigration.smp.crypto.OwnerOnlyFiles;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Creates the first administrator, {@code admin}, on a server without operators. Its random password goes to
 * {@code <data-dir>/initial-admin-password} (mode 0600) and never to the log. Off with
 * {@code smp.admin.create-first-administrator=false}: {@code restore-backup} starts the application on an empty
 * database into which it then loads the backup's operators.
 */
@Component
@ConditionalOnProperty(name = "smp.admin.create-first-administrator", havingValue = "true", matchIfMissing = true)
@Order(0)
class FirstAdministrator implements ApplicationRunner {

	static final String USERNAME = "admin";

	static final String PASSWORD_FILE = "initial-admin-password";

	private static final Log logger = LogFactory.getLog(FirstAdministrator.class);

	private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

	private final OperatorAccounts accounts;

	private final Path dataDir;

	FirstAdministrator(OperatorAccounts accounts, @Value("${smp.data-dir}") Path dataDir) {
		this.accounts = accounts;
		this.dataDir = dataDir;
	}

	@Override
	public void run(ApplicationArguments args) {
		String password = randomPassword();
		if (this.accounts.createIfNoneExist(USERNAME, password, EnumSet.of(Role.ADMIN))) {
			Path file = this.dataDir.resolve(PASSWORD_FILE);
			writeOwnerOnly(file, password + "\n");
			logger.info("Created the first administrator '" + USERNAME + "'; its password is in " + file
					+ " (readable by the server's user only). Change it and delete the file.");
		}
	}

	private static String randomPassword() {
		SecureRandom random = new SecureRandom();
		StringBuilder password = new StringBuilder(24);
		for (int i = 0; i < 24; i++) {
			password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return password.toString();
	}

	private static void writeOwnerOnly(Path file, String content) {
		try {
			Files.createDirectories(file.getParent());
			OwnerOnlyFiles.writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + file, ex);
		}
	}

}
