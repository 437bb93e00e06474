package org.statemigration.smp.store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.store.internal.DisposalRepository;
import org.statemigration.smp.store.internal.StateStoreRepository.StoredFile;
import org.statemigration.smp.store.internal.VersionBlobs;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Discards uploads that were started and never finished: a reservation whose holder has been idle past the upload
 * expiry is released, and the version it was uploading (row and unfinished blob) goes with it; so does a
 * version still uploading, created longer than the upload expiry ago, that no reservation keeps alive. Each one is
 * discarded in a transaction of its own, under a lock that other servers skip, so that several servers may do this
 * at once without doing anything twice.
 */
@Service
public class AbandonedUploads {

	private static final Log logger = LogFactory.getLog(AbandonedUploads.class);

	private static final int BATCH = 200;

	private final DisposalRepository disposal;

	private final VersionBlobs blobs;

	private final Settings settings;

	private final TransactionTemplate transactions;

	private final Clock clock;

	public AbandonedUploads(DisposalRepository disposal, VersionBlobs blobs, Settings settings,
			PlatformTransactionManager transactions, Clock clock) {
		this.disposal = disposal;
		this.blobs = blobs;
		this.settings = settings;
		this.transactions = new TransactionTemplate(transactions);
		this.clock = clock;
	}

	/**
	 * Discards what has been idle for longer than the upload expiry.
	 * @param onDiscarded told of each unfinished upload once its discarding has committed
	 * @return how many unfinished uploads (versions) were discarded; expired reservations that held no upload
	 * are released without being counted
	 */
	public int discardIdle(Runnable onDiscarded) {
		Instant now = this.clock.instant();
		Instant cutoff = now.minus(this.settings.current().uploadExpiry());
		int discarded = each((limit) -> this.disposal.expiredReservations(now, limit),
				(id) -> discardReservation(id, now), onDiscarded);
		return discarded + each((limit) -> this.disposal.orphanedUploads(cutoff, limit),
				(id) -> discardOrphan(id, cutoff), onDiscarded);
	}

	private int each(Function<Integer, List<UUID>> candidates, Function<UUID, Outcome> discard,
			Runnable onDiscarded) {
		int discarded = 0;
		while (true) {
			List<UUID> batch = candidates.apply(BATCH);
			int claimed = 0;
			for (UUID id : batch) {
				Outcome outcome;
				try {
					outcome = this.transactions.execute((status) -> discard.apply(id));
				}
				catch (RuntimeException ex) {
					logger.warn("Could not discard unfinished upload or reservation " + id + "; the next pass tries again",
							ex);
					continue;
				}
				if (outcome == null) {
					continue;
				}
				claimed++;
				if (outcome.upload() != null) {
					discarded++;
					onDiscarded.run();
					logger.info("Discarded unfinished upload " + outcome.upload().id() + " of association "
							+ outcome.upload().associationId() + ": " + outcome.why());
				}
			}
			// a batch of rows that other servers hold (or that stay for any other reason) ends the pass
			if (batch.size() < BATCH || claimed == 0) {
				return discarded;
			}
		}
	}

	private Outcome discardReservation(UUID id, Instant now) {
		Optional<Optional<UUID>> claimed = this.disposal.claimExpiredReservation(id, now);
		if (claimed.isEmpty()) {
			return null;
		}
		this.disposal.deleteReservation(id);
		Optional<StoredFile> upload = claimed.get().flatMap(this.disposal::claimUpload);
		if (upload.isEmpty()) {
			logger.debug("Released expired reservation " + id);
			return new Outcome(null, null);
		}
		return discard(upload.get(), "it was idle past its reservation's expiry");
	}

	private Outcome discardOrphan(UUID id, Instant cutoff) {
		return this.disposal.claimOrphanedUpload(id, cutoff)
			.map((upload) -> discard(upload, "it is older than the upload expiry and has no reservation"))
			.orElse(null);
	}

	private Outcome discard(StoredFile upload, String why) {
		this.disposal.deleteVersion(upload.id());
		this.blobs.deleteAfterCommit(List.of(upload));
		return new Outcome(upload, why);
	}

	/** What a claimed candidate came to: a discarded upload, or (both null) a released reservation only. */
	private record Outcome(StoredFile upload, String why) {

	}

}
