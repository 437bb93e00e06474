package org.statemigration.smp.store;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.store.internal.StateStoreRepository.StoredFile;
import org.statemigration.smp.store.internal.upload.UploadFiles;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Removal of versions' files: only once the transaction that destroyed their keys (or forgot their rows) has
 * committed, so that a rollback never leaves a current version without its file.
 */
final class StoreFiles {

	private static final Log logger = LogFactory.getLog(StoreFiles.class);

	private StoreFiles() {
	}

	/**
	 * Deletes the files (the finished file and any {@code .part} of the version, and the tails and spool of a
	 * resumable upload) after the commit.
	 */
	static void deleteAfterCommit(List<StoredFile> files) {
		if (files.isEmpty()) {
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				files.forEach(StoreFiles::delete);
			}
		});
	}

	static void delete(StoredFile file) {
		Path path = file.path();
		try {
			Files.deleteIfExists(path);
			Files.deleteIfExists(path.resolveSibling(file.id() + ".part"));
			UploadFiles.deleteAll(path.getParent(), file.id());
			try {
				Files.deleteIfExists(path.getParent());
			}
			catch (DirectoryNotEmptyException ex) {
				// another version of the association still lives there
			}
		}
		catch (IOException ex) {
			logger.warn("Could not delete " + path + "; no key can read it any more, delete it by hand", ex);
		}
	}

}
