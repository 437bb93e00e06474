package org.statemigration.smp.client.internal;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code --identity DIR}: the folder with the computer's key, certificate and server.
 */
final class IdentityOption {

	@Option(names = "--identity", paramLabel = "DIR", defaultValue = "${sys:user.home}${sys:file.separator}.smp",
			description = { "The identity folder: the computer's key and certificate, smp's CA, the server's URL "
					+ "and pinned fingerprint (default: ${DEFAULT-VALUE}). Owner-only: folder 0700, files 0600.",
					"Under a task sequence, name a folder that survives the reboots between steps, e.g. "
							+ "%%_SMSTSMDataPath%%\\smp or a folder on the target disk." })
	Path folder;

}
