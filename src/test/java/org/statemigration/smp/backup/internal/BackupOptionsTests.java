package org.statemigration.smp.backup.internal;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The command lines of backup and restore-backup. */
class BackupOptionsTests {

	@Test
	void readsTheFolderTheKeysOptionsAndPassesTheRestToTheConfiguration() {
		BackupOptions options = BackupOptions.parse(true, List.of("--to", "out", "--include-keys",
				"--passphrase-file=pp", "--smp.data-dir=/srv/smp"));
		assertThat(options.folder()).isEqualTo(Path.of("out").toAbsolutePath());
		assertThat(options.includeKeys()).isTrue();
		assertThat(options.passphraseFile()).isEqualTo(Path.of("pp"));
		assertThat(options.springArguments()).containsExactly("--smp.data-dir=/srv/smp");
		assertThat(BackupOptions.parse(false, List.of("--from=in")).folder()).isEqualTo(Path.of("in").toAbsolutePath());
	}

	@Test
	void neverTakesAPassphraseOnTheCommandLine() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BackupOptions.parse(true, List.of("--to", "out", "--include-keys", "--passphrase=x")))
			.withMessageContaining("never given on the command line");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BackupOptions.parse(false, List.of("--from", "in", "--passphrase", "x")));
	}

	@Test
	void refusesAMissingFolderAnUnknownOptionAndKeysOptionsOfRestore() {
		assertThatIllegalArgumentException().isThrownBy(() -> BackupOptions.parse(true, List.of("--include-keys")))
			.withMessageContaining("--to DIR is required");
		assertThatIllegalArgumentException().isThrownBy(() -> BackupOptions.parse(true, List.of("--to", "o", "-x")))
			.withMessageContaining("unknown option -x");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BackupOptions.parse(false, List.of("--from", "in", "--include-keys")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BackupOptions.parse(true, List.of("--to", "o", "--passphrase-file", "pp")))
			.withMessageContaining("for --include-keys");
		assertThatIllegalArgumentException().isThrownBy(() -> BackupOptions.parse(true, List.of("--to")));
	}

}
