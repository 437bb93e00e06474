package org.statemigration.smp.store.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.store.internal.DisposalRepository;
import org.statemigration.smp.store.internal.LeftoverRepository;
import org.statemigration.smp.store.internal.NodeHeartbeatRepository;
import org.statemigration.smp.store.internal.NodeIdentity;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.StateStoreRepository.StoredFile;
import org.statemigration.smp.store.internal.StrandedRepository;
import org.statemigration.smp.store.internal.StrandedRepository.HeldLease;
import org.statemigration.smp.store.internal.StrandedRepository.HeldReservation;
import org.statemigration.smp.store.internal.UploadsInProgress;
import org.statemigration.smp.store.internal.VersionBlobs;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Releases, while the server runs, what requests that failed left held in the database: a request that fails
 * because the database is gone cannot remove its own upload, reservation or lease. Each pass, run every
 * {@code smp.storage.reconcile-interval} on every server: records that this server is alive; discards this
 * server's single-request uploads (row, reservation, blobs) and releases its upload reservations and resumable
 * upload leases that no request on it works on any more ({@link UploadsInProgress}); and does the same for every
 * server that has been silent for four intervals, which is taken for dead (its uploads cannot finish). The last
 * step waits until this server itself has been heard for four intervals, so that after an outage of the database
 * it does not take the other servers for dead before they could speak again. Every release is conditional on the
 * row as read, and discards claim their row with {@code SKIP LOCKED}: servers doing this at once do nothing twice.
 * A resumable upload is not discarded: its lease is given back and its client resumes it; only one whose last
 * request completed it (its blob is committed) and then could not commit it or throw it away is ended, as that
 * request meant to.
 */
@Service
public class StrandedUploads {

	private static final Log logger = LogFactory.getLog(StrandedUploads.class);

	/** Intervals of silence after which a server is taken for dead. */
	static final int SILENT_INTERVALS = 4;

	private final NodeHeartbeatRepository heartbeats;

	private final StrandedRepository stranded;

	private final LeftoverRepository leftovers;

	private final DisposalRepository disposal;

	private final ResumableUploadRepository resumable;

	private final UploadsInProgress inProgress;

	private final VersionBlobs blobs;

	private final NodeIdentity node;

	private final Duration silence;

	private final TransactionTemplate transactions;

	private final Clock clock;

	/** Since when this server has been heard without a break; null after a pass that could not record it. */
	private volatile Instant heardSince;

	public StrandedUploads(NodeHeartbeatRepository heartbeats, StrandedRepository stranded, LeftoverRepository leftovers,
			DisposalRepository disposal, ResumableUploadRepository resumable, UploadsInProgress inProgress,
			VersionBlobs blobs, NodeIdentity node, StoreProperties properties, PlatformTransactionManager transactions,
			Clock clock) {
		this.heartbeats = heartbeats;
		this.stranded = stranded;
		this.leftovers = leftovers;
		this.disposal = disposal;
		this.resumable = resumable;
		this.inProgress = inProgress;
		this.blobs = blobs;
		this.node = node;
		this.silence = properties.storage().reconcileInterval().multipliedBy(SILENT_INTERVALS);
		this.transactions = new TransactionTemplate(transactions);
		this.clock = clock;
	}

	/**
	 * One pass.
	 * @return how many uploads, reservations and leases were released
	 */
	public int reconcile() {
		Instant now = this.clock.instant();
		try {
			this.heartbeats.beat(this.node.id(), now);
		}
		catch (RuntimeException ex) {
			this.heardSince = null;
			throw ex;
		}
		if (this.heardSince == null) {
			this.heardSince = now;
		}
		String self = this.node.id();
		int released = release(self, (id) -> !this.inProgress.contains(id));
		if (!this.heardSince.isAfter(now.minus(this.silence))) {
			Instant cutoff = now.minus(this.silence);
			for (String silent : this.heartbeats.silentSince(cutoff, self)) {
				int of = release(silent, (id) -> true);
				this.heartbeats.forget(silent, cutoff);
				logger.info("Server " + silent + " has been silent since before " + cutoff + ": released " + of
						+ " upload(s), reservation(s) and lease(s) it held");
				released += of;
			}
		}
		if (released > 0) {
			logger.info("Released " + released + " upload(s), reservation(s) and lease(s) left by failed requests");
		}
		return released;
	}

	private int release(String nodeId, Predicate<UUID> over) {
		int released = 0;
		for (StoredFile upload : this.leftovers.uploadsOf(nodeId)) {
			if (over.test(upload.id()) && discard(upload.id())) {
				logger.info("Discarded upload " + upload.id() + " of association " + upload.associationId()
						+ ": the request that wrote it failed");
				released++;
			}
		}
		for (HeldReservation reservation : this.stranded.uploadReservationsOf(nodeId)) {
			if (over.test(reservation.storeId()) && this.stranded.releaseReservation(reservation, nodeId)) {
				released++;
			}
		}
		for (HeldLease lease : this.stranded.leasesOf(nodeId)) {
			if (over.test(lease.storeId()) && releaseLease(lease, nodeId)) {
				released++;
			}
		}
		return released;
	}

	/**
	 * Discards an upload (row, reservation, blobs; a resumable upload's row goes with its version), if it is still
	 * uploading and no other server is at it.
	 */
	private boolean discard(UUID storeId) {
		Boolean discarded = this.transactions.execute((status) -> this.disposal.claimUpload(storeId).map((file) -> {
			this.disposal.deleteReservationsOf(storeId);
			this.disposal.deleteVersion(storeId);
			this.blobs.deleteAfterCommit(List.of(file));
			return true;
		}).orElse(false));
		return Boolean.TRUE.equals(discarded);
	}

	private boolean releaseLease(HeldLease lease, String nodeId) {
		boolean completed = this.resumable.find(lease.storeId())
			.map((row) -> this.blobs.committed(row.folder(), row.associationId(), row.id()))
			.orElse(false);
		if (completed && discard(lease.storeId())) {
			logger.info("Ended resumable upload " + lease.storeId()
					+ ": the request that completed it could neither commit it nor throw it away");
			return true;
		}
		return this.stranded.releaseLease(lease, nodeId);
	}

}
