package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.store.StorageFolders;
import org.statemigration.smp.store.StorageFolders.Folder;
import org.statemigration.smp.store.internal.StateStoreRepository.StoredFile;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Puts the storage folders back in step with the database when the server starts, before it accepts requests
 * (DESIGN 7). An upload that was running when this server's previous process died cannot finish: its row, its
 * reservation and its files ({@code .part}, or an {@code .smp} renamed into place but never committed) are
 * removed. Then every storage folder is scanned for store files that no row needs any more: a {@code .part}
 * without an uploading row, an {@code .smp} without an uploading or committed one (a superseded or deleted
 * version whose file outlived a crash), and the tails and spools of resumable uploads that no uploading row names.
 * Resumable uploads themselves survive a restart: their clients resume them. Only files named
 * {@code <uuid>/<uuid>.part}, {@code .smp}, {@code .spool} or {@code <uuid>/<uuid>-<offset>.tail} are ever
 * considered; anything else in a folder is left alone.
 * <p>
 * Several servers may share the database and the folders: another server's live upload has an uploading row, so
 * its files are kept, and a file is only judged after it has been seen on disk, by which time its row (written
 * before the file) is visible.
 * <p>
 * Commands that start the application beside a running server with the same data directory ({@code keys}) turn
 * this off with {@code smp.storage.reconcile-at-start=false}: they share the server's node identity, and its live
 * uploads would look dead to them.
 */
@Component
@ConditionalOnProperty(name = "smp.storage.reconcile-at-start", havingValue = "true", matchIfMissing = true)
public class LeftoverReconciliation implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(LeftoverReconciliation.class);

	private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

	private static final Pattern ASSOCIATION_DIRECTORY = Pattern.compile(UUID_PATTERN);

	private static final Pattern STORE_FILE = Pattern
		.compile("(" + UUID_PATTERN + ")(?:\\.(part|smp|spool)|-[0-9]+\\.(tail)(?:\\.tmp)?)");

	private static final List<String> PART_KEPT_BY = List.of("UPLOADING");

	private static final List<String> SMP_KEPT_BY = List.of("UPLOADING", "COMMITTED");

	private final LeftoverRepository leftovers;

	private final NodeIdentity node;

	private final StorageFolders folders;

	private final ResumableUploadRepository resumable;

	public LeftoverReconciliation(LeftoverRepository leftovers, NodeIdentity node, StorageFolders folders,
			ResumableUploadRepository resumable) {
		this.leftovers = leftovers;
		this.node = node;
		this.folders = folders;
		this.resumable = resumable;
	}

	@Override
	public void afterSingletonsInstantiated() {
		reconcile();
	}

	/** Removes what died with this server's previous process, then the files no row needs. */
	public void reconcile() {
		int uploads = discardDeadUploads();
		int files = 0;
		for (Folder folder : this.folders.all()) {
			files += removeUnneededFiles(folder.location());
		}
		if (uploads > 0 || files > 0) {
			logger.info("Reconciled the storage folders at start: " + uploads + " unfinished upload(s) discarded, "
					+ files + " leftover file(s) removed");
		}
	}

	private int discardDeadUploads() {
		List<StoredFile> uploads = this.leftovers.uploadsOf(this.node.id());
		for (StoredFile upload : uploads) {
			// files first: if this is cut short, the row is still there to find them next time
			Path directory = upload.path().getParent();
			delete(directory.resolve(upload.id() + ".part"), "an upload that did not finish");
			delete(upload.path(), "an upload that was never committed");
			deleteIfEmpty(directory);
			this.leftovers.deleteUpload(upload.id());
		}
		this.leftovers.releaseUploadReservationsOf(this.node.id());
		// the requests that held these leases died with the previous process; their clients will resume
		this.resumable.releaseLeasesOf(this.node.id());
		return uploads.size();
	}

	private int removeUnneededFiles(Path folder) {
		int removed = 0;
		for (Path directory : children(folder, ASSOCIATION_DIRECTORY, true)) {
			UUID associationId = UUID.fromString(directory.getFileName().toString());
			int before = removed;
			for (Path file : children(directory, STORE_FILE, false)) {
				Matcher name = STORE_FILE.matcher(file.getFileName().toString());
				name.matches();
				boolean finished = "smp".equals(name.group(2));
				UUID storeId = UUID.fromString(name.group(1));
				if (!this.leftovers.names(associationId, storeId, finished ? SMP_KEPT_BY : PART_KEPT_BY)) {
					removed += delete(file, finished ? "no current version is stored in it" : "no upload is writing it");
				}
			}
			if (removed > before) {
				deleteIfEmpty(directory);
			}
		}
		return removed;
	}

	/** The folder's entries whose names match, directories or regular files, never following a link. */
	private static List<Path> children(Path folder, Pattern name, boolean directories) {
		DirectoryStream.Filter<Path> filter = (path) -> name.matcher(path.getFileName().toString()).matches()
				&& (directories ? Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
						: Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, filter)) {
			return StreamSupport.stream(entries.spliterator(), false).toList();
		}
		catch (IOException ex) {
			logger.warn("Cannot list " + folder + " to reconcile it; leftovers in it stay until the next start", ex);
			return List.of();
		}
	}

	private static int delete(Path file, String reason) {
		try {
			if (Files.deleteIfExists(file)) {
				logger.info("Deleted leftover " + file + ": " + reason);
				return 1;
			}
		}
		catch (IOException ex) {
			logger.warn("Cannot delete leftover " + file + "; it stays until the next start", ex);
		}
		return 0;
	}

	private static void deleteIfEmpty(Path directory) {
		try {
			Files.deleteIfExists(directory);
		}
		catch (DirectoryNotEmptyException ex) {
			// other versions of the association live there
		}
		catch (IOException ex) {
			logger.debug("Cannot delete empty directory " + directory, ex);
		}
	}

}
