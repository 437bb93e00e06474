package org.statemigration.smp.admin.internal;

import java.util.EnumSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.admin.OperatorAccounts;
import org.statemigration.smp.admin.Role;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Creates the first administrator, {@code admin}, on a server without operators. Its random password goes to
 * {@code <data-dir>/initial-admin-password} (mode 0600) and never to the log. At every start the file is deleted
 * if that password no longer works (it was changed while this server was down, or on another server of the
 * cluster), and otherwise the log says again how to change it. Off with
 * {@code smp.admin.create-first-administrator=false}: {@code restore-backup} starts the application on an empty
 * database into which it then loads the backup's operators.
 */
@Component
@ConditionalOnProperty(name = "smp.admin.create-first-administrator", havingValue = "true", matchIfMissing = true)
@Order(0)
class FirstAdministrator implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(FirstAdministrator.class);

	private final OperatorAccounts accounts;

	private final InitialPasswordFile file;

	private final OperatorRepository operators;

	private final PasswordEncoder passwordEncoder;

	FirstAdministrator(OperatorAccounts accounts, InitialPasswordFile file, OperatorRepository operators,
			PasswordEncoder passwordEncoder) {
		this.accounts = accounts;
		this.file = file;
		this.operators = operators;
		this.passwordEncoder = passwordEncoder;
	}

	@Override
	public void run(ApplicationArguments args) {
		String password = OperatorAccounts.randomPassword(24);
		if (this.accounts.createIfNoneExist(InitialPasswordFile.USERNAME, password, EnumSet.of(Role.ADMIN))) {
			this.file.write(password);
			logger.info("Created the first administrator '" + InitialPasswordFile.USERNAME + "'; its password is in "
					+ this.file.path() + " (readable by the server's user only). Change it: "
					+ InitialPasswordFile.HOW_TO_CHANGE + ".");
			return;
		}
		String written = this.file.read();
		if (written == null) {
			return;
		}
		String hash = this.operators.passwordHash(InitialPasswordFile.USERNAME).orElse(null);
		if (hash == null || !this.passwordEncoder.matches(written, hash)) {
			this.file.delete();
		}
		else {
			logger.info("The first administrator's password is still the one in " + this.file.path()
					+ ". Change it: " + InitialPasswordFile.HOW_TO_CHANGE + ".");
		}
	}

}
