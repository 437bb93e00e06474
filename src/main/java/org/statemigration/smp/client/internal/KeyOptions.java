package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code --print-key} and {@code --key-file}: hand the association's encryption key to the user-state tool. The
 * key is written nowhere else, and never without one of these options.
 */
final class KeyOptions {

	@Option(names = "--print-key",
			description = "Print the association's encryption key (for the user-state tool, e.g. USMT /key:) on "
					+ "standard output, alone on its line. Without this option the key is never shown.")
	boolean print;

	@Option(names = "--key-file", paramLabel = "FILE",
			description = "Write the encryption key to FILE (owner-only, 0600), e.g. for USMT /keyfile:.")
	Path file;

	boolean wanted() {
		return this.print || this.file != null;
	}

	void hand(Grant grant, Output output) {
		if (this.file != null) {
			try {
				PrivateFiles.write(this.file.toAbsolutePath(), grant.encryptionKey());
			}
			catch (IOException ex) {
				throw ClientFailure.failed("Cannot write the key file " + this.file + ": " + ex.getMessage(), ex);
			}
			output.info("Encryption key (" + grant.keyAlgorithm() + ") written to " + this.file);
		}
		if (this.print) {
			output.result(grant.encryptionKey());
		}
	}

}
