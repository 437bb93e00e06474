package org.statemigration.smp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import org.statemigration.smp.backup.BackupCommand;
import org.statemigration.smp.client.SmpClient;
import org.statemigration.smp.keys.KeysCommand;
import org.statemigration.smp.scrub.VerifyCommand;

@SpringBootApplication
@ConfigurationPropertiesScan
/**
 * smp, the state migration point: stores encrypted user state between the capture on an old computer and the
 * restore on its replacement.
 */
public class SmpApplication {

	public static void main(String[] args) {
		if (SmpClient.handles(args)) {
			System.exit(SmpClient.run(args));
		}
		if (KeysCommand.handles(args)) {
			System.exit(KeysCommand.run(SmpApplication.class, args));
		}
		if (VerifyCommand.handles(args)) {
			System.exit(VerifyCommand.run(SmpApplication.class, args));
		}
		if (BackupCommand.handles(args)) {
			System.exit(BackupCommand.run(SmpApplication.class, args));
		}
		if (ServerCommandLine.handles(args)) {
			System.exit(ServerCommandLine.run(args, System.out, System.err));
		}
		SpringApplication server = new SpringApplication(SmpApplication.class);
		server.addListeners(new DataFolderLock());
		try {
			server.run(args);
		}
		catch (DataFolderLock.InUseException ex) {
			System.err.println(ex.getMessage());
			System.exit(1);
		}
	}

}
