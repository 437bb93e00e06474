package org.statemigration.smp.backup.web;

import java.io.IOException;
import java.util.Arrays;

import jakarta.servlet.http.HttpServletResponse;

import org.statemigration.smp.backup.internal.LiveBackup;
import org.statemigration.smp.backup.internal.Passphrases;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The local channel's one endpoint: the {@code backup} command, which cannot open the embedded database this
 * server holds, asks the server to write the backup. Only the channel's secret reaches it (see the security
 * configuration). A refusal before anything is written is a problem document; once the backup is under way the
 * answer is a stream of progress lines that ends with the result or with a problem document.
 */
@RestController
class LocalBackupController {

	private final LiveBackup backup;

	LocalBackupController(LiveBackup backup) {
		this.backup = backup;
	}

	@PostMapping(path = "/local/v1/backup", consumes = MediaType.APPLICATION_JSON_VALUE)
	void backup(@RequestBody LocalBackupRequest request, HttpServletResponse response) throws IOException {
		char[] passphrase = request.passphrase();
		try {
			if (request.includeKeys() && (passphrase == null || passphrase.length < Passphrases.minLength())) {
				throw new ValidationException("includeKeys needs a passphrase of at least " + Passphrases.minLength()
						+ " characters");
			}
			if (!request.includeKeys() && passphrase != null) {
				throw new ValidationException("a passphrase is for includeKeys");
			}
			LiveBackup.Turn turn = this.backup.begin(request.folder());
			response.setStatus(HttpServletResponse.SC_OK);
			response.setContentType(LiveBackup.mediaType());
			response.setHeader("Cache-Control", "no-store");
			turn.write(passphrase, response.getOutputStream());
			passphrase = null;
		}
		finally {
			if (passphrase != null) {
				Arrays.fill(passphrase, ' ');
			}
		}
	}

	/**
	 * What the command asks for.
	 * @param folder the backup's folder, absolute, which the server's process user writes
	 * @param includeKeys whether the keys are sealed into it
	 * @param passphrase the passphrase that seals them (only with includeKeys)
	 */
	record LocalBackupRequest(String folder, boolean includeKeys, char[] passphrase) {
	}

}
