package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.store.blob.BlobStore;
import org.statemigration.smp.store.blob.StoredObject;
import org.statemigration.smp.store.blob.s3.S3BlobStore;
import org.statemigration.smp.store.blob.s3.S3Listing;
import org.statemigration.smp.store.blob.s3.S3Listing.Found;
import org.statemigration.smp.store.internal.StateStoreRepository.StoredFile;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Puts the storage folders back in step with the database when the server starts, before it accepts requests
 * (DESIGN 7). An upload that was running when this server's previous process died cannot finish: its row, its
 * reservation and its blob (unfinished, or committed but never recorded so) are removed. Then every blob store is
 * listed for objects that no row needs any more: an unfinished blob without an uploading row, a committed blob
 * without an uploading or committed one (a superseded or deleted version whose blob outlived a crash), and the
 * tails and spools of resumable uploads that no uploading row names. Resumable uploads themselves survive a
 * restart: their clients resume them. A blob store lists only what is its own ({@link BlobStore#list()}); anything
 * else in a folder is left alone. Of an S3 location only the unfinished uploads are listed here, a page at a time
 * (they are few: those whose abort failed while S3 was away); its objects, which may be millions in a bucket all
 * servers share, are left to the periodic sweep ({@link S3Sweep}), one server at a time.
 * <p>
 * Several servers may share the database and the folders: another server's live upload has an uploading row, so
 * its objects are kept, and an object is only judged after it has been listed, by which time its row (written
 * before the object) is visible.
 * <p>
 * Commands that start the application beside a running server with the same data directory ({@code keys}) turn
 * this off with {@code smp.storage.reconcile-at-start=false}: they share the server's node identity, and its live
 * uploads would look dead to them.
 */
@Component
@ConditionalOnProperty(name = "smp.storage.reconcile-at-start", havingValue = "true", matchIfMissing = true)
public class LeftoverReconciliation implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(LeftoverReconciliation.class);

	private static final List<String> KEPT_BY_UPLOADING = List.of("UPLOADING");

	private static final List<String> KEPT_BY_UPLOADING_OR_COMMITTED = List.of("UPLOADING", "COMMITTED");

	private final LeftoverRepository leftovers;

	private final NodeIdentity node;

	private final BlobStores blobs;

	private final ResumableUploadRepository resumable;

	public LeftoverReconciliation(LeftoverRepository leftovers, NodeIdentity node, BlobStores blobs,
			ResumableUploadRepository resumable) {
		this.leftovers = leftovers;
		this.node = node;
		this.blobs = blobs;
		this.resumable = resumable;
	}

	@Override
	public void afterSingletonsInstantiated() {
		reconcile();
	}

	/** Removes what died with this server's previous process, then the objects no row needs. */
	public void reconcile() {
		int uploads = discardDeadUploads();
		int objects = 0;
		for (BlobStore store : this.blobs.all()) {
			objects += (store instanceof S3BlobStore s3) ? abortUnneededUploads(s3) : removeUnneeded(store);
		}
		if (uploads > 0 || objects > 0) {
			logger.info("Reconciled the storage folders at start: " + uploads + " unfinished upload(s) discarded, "
					+ objects + " leftover file(s) removed");
		}
	}

	private int discardDeadUploads() {
		List<StoredFile> uploads = this.leftovers.uploadsOf(this.node.id());
		for (StoredFile upload : uploads) {
			// the blob first: if this is cut short, the row is still there to find it next time
			BlobStore store = this.blobs.at(upload.folder());
			try {
				for (StoredObject object : store.list(VersionBlobs.key(upload))) {
					delete(store, object, object.committed() ? "an upload that was never committed"
							: "an upload that did not finish");
				}
			}
			catch (IOException ex) {
				logger.warn("Cannot list what upload " + upload.id() + " left in " + store
						+ "; it stays until the next start", ex);
			}
			this.leftovers.deleteUpload(upload.id());
		}
		this.leftovers.releaseUploadReservationsOf(this.node.id());
		// the requests that held these leases died with the previous process; their clients will resume
		this.resumable.releaseLeasesOf(this.node.id());
		return uploads.size();
	}

	private int removeUnneeded(BlobStore store) {
		List<StoredObject> objects;
		try {
			objects = store.list();
		}
		catch (IOException ex) {
			logger.warn("Cannot list " + store + " to reconcile it; leftovers in it stay until the next start", ex);
			return 0;
		}
		int removed = 0;
		for (StoredObject object : objects) {
			boolean committed = object.committed();
			if (!this.leftovers.names(object.key().associationId(), object.key().storeId(),
					committed ? KEPT_BY_UPLOADING_OR_COMMITTED : KEPT_BY_UPLOADING)) {
				removed += delete(store, object,
						committed ? "no current version is stored in it" : "no upload is writing it");
			}
		}
		return removed;
	}

	/**
	 * Aborts the unfinished uploads of an S3 location that no uploading or committed version names, a page at a
	 * time: those whose abort failed while S3 was away. Its objects may be millions, and are left to the sweep.
	 */
	private int abortUnneededUploads(S3BlobStore store) {
		S3Listing listing = new S3Listing(store);
		int[] aborted = { 0 };
		try {
			listing.unfinishedUploads((page) -> {
				for (Found upload : page) {
					if (upload.ours() && !this.leftovers.names(upload.version().associationId(),
							upload.version().storeId(), KEPT_BY_UPLOADING_OR_COMMITTED)) {
						listing.abort(upload);
						aborted[0]++;
						logger.info("Aborted leftover upload of " + listing.where(upload) + ": no upload is writing it");
					}
				}
				return true;
			});
		}
		catch (IOException ex) {
			logger.warn("Cannot list the unfinished uploads of " + store + " to reconcile them; the sweep of the "
					+ "S3 locations removes them later", ex);
		}
		return aborted[0];
	}

	private static int delete(BlobStore store, StoredObject object, String reason) {
		try {
			store.delete(object);
			logger.info("Deleted leftover " + object.location() + ": " + reason);
			return 1;
		}
		catch (IOException ex) {
			logger.warn("Cannot delete leftover " + object.location() + "; it stays until the next start", ex);
			return 0;
		}
	}

}
