package org.statemigration.smp.backup.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.statemigration.smp.backup.internal.Manifest.UploadEntry;

/**
 * What the command says when a backup is written, whether it wrote it or a running server did for it.
 * @param schemaVersion the schema version of the snapshot
 * @param tables the tables dumped
 * @param stores the state stores in the backup
 * @param storesCopied how many of them this backup copied (the others an earlier one in the folder had)
 * @param bytesCopied the bytes it copied
 * @param uploadsNotIncluded the uploads in progress left out
 * @param keysIncluded whether the keys are sealed in it
 */
record BackupReport(String schemaVersion, int tables, int stores, int storesCopied, long bytesCopied,
		List<UploadEntry> uploadsNotIncluded, boolean keysIncluded) {

	static BackupReport of(BackupWriter.BackupSummary summary, boolean keysIncluded) {
		Manifest manifest = summary.manifest();
		return new BackupReport(manifest.schemaVersion(), manifest.tables().size(), manifest.stores().size(),
				summary.storesCopied(), summary.bytesCopied(), manifest.uploadsNotIncluded(), keysIncluded);
	}

	void print(Path folder, PrintStream out) {
		out.println("Backed up to " + folder + ": schema " + this.schemaVersion + ", " + this.tables + " tables, "
				+ this.stores + " state store(s), " + this.storesCopied + " of them copied now (" + this.bytesCopied
				+ " bytes), the others kept from the earlier backup in the folder");
		if (!this.uploadsNotIncluded.isEmpty()) {
			out.println("Not included: " + this.uploadsNotIncluded.size() + " upload(s) in progress");
			this.uploadsNotIncluded.forEach((upload) -> out.println("  association " + upload.associationId()
					+ ", version " + upload.storeId()));
		}
		if (this.keysIncluded) {
			out.println("The master key and the TLS key store are in " + BackupKeys.FILE_NAME
					+ ", encrypted under the passphrase: keep the passphrase apart from the backup.");
		}
		else {
			out.println("The master key is NOT in this backup: a restore needs the master key file kept "
					+ "elsewhere (or run backup with --include-keys).");
		}
	}

}
