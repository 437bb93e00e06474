package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.store.JobLock;
import org.statemigration.smp.store.blob.s3.S3BlobStore;
import org.statemigration.smp.store.blob.s3.S3Listing;
import org.statemigration.smp.store.internal.LocationSweep.Tally;
import org.statemigration.smp.store.internal.SweepMetrics.Outcome;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Removes from the S3 locations what no live version names: the unfinished multipart uploads and the objects that
 * crashes, S3 outages and failed deletions left behind (a capture killed mid-upload whose version was then released,
 * an object whose deletion after a commit never reached S3). Folders are not swept here: each server reconciles them
 * at start ({@link LeftoverReconciliation}).
 * <p>
 * One server of a cluster sweeps at a time ({@link SweepLock}); every location is listed a page at a time, each
 * page checked against the database in one query ({@link LocationSweep}). What is removed must be in the server's
 * layout, named by no live row at that location, and older than {@code smp.storage.sweep.min-age}. The order in
 * which the store writes makes that safe: a version's row is committed before any of its objects or its upload
 * exists, a committed version's row stays live until a transaction forgets it, and its objects are deleted only
 * after that commit. So an object that was listed, and whose row the query after the listing does not find live,
 * is one that no version needs any more; the age only adds a margin for clocks apart and transactions still open.
 */
@Service
public class S3Sweep {

	private static final Log logger = LogFactory.getLog(S3Sweep.class);

	private final BlobStores blobs;

	private final SweepRepository rows;

	private final SweepLock lock;

	private final SweepMetrics metrics;

	private final Duration minAge;

	private final Clock clock;

	private final int pageSize;

	@Autowired
	public S3Sweep(BlobStores blobs, SweepRepository rows, SweepLock lock, SweepMetrics metrics,
			StoreProperties properties, Clock clock) {
		this(blobs, rows, lock, metrics, properties.storage().sweep().minAge(), clock, 1000);
	}

	/** A sweep that lists pages of the size given (tests make them small, to see the paging). */
	S3Sweep(BlobStores blobs, SweepRepository rows, SweepLock lock, SweepMetrics metrics, Duration minAge, Clock clock,
			int pageSize) {
		this.blobs = blobs;
		this.rows = rows;
		this.lock = lock;
		this.metrics = metrics;
		this.minAge = minAge;
		this.clock = clock;
		this.pageSize = pageSize;
	}

	/** Whether any configured location is an S3 bucket: with none, there is nothing to sweep. */
	public boolean hasS3Locations() {
		return !listings().isEmpty();
	}

	/**
	 * One sweep of every S3 location, if no other server is sweeping.
	 * @return what was removed and kept, or empty when another server holds the sweep's lock
	 */
	public Optional<Swept> sweep() {
		List<S3Listing> listings = listings();
		if (listings.isEmpty()) {
			return Optional.of(new Swept(0, 0, 0, 0));
		}
		Optional<JobLock.Held> taken;
		try {
			taken = this.lock.tryTake();
		}
		catch (RuntimeException ex) {
			this.metrics.pass(Outcome.FAILED);
			throw ex;
		}
		if (taken.isEmpty()) {
			this.metrics.pass(Outcome.SKIPPED);
			logger.debug("Another server is sweeping the S3 locations, or swept them moments ago: skipped");
			return Optional.empty();
		}
		Tally total = new Tally();
		boolean failed = false;
		try (JobLock.Held held = taken.get()) {
			for (S3Listing listing : listings) {
				LocationSweep location = new LocationSweep(listing, this.rows, held,
						this.clock.instant().minus(this.minAge));
				try {
					location.run();
				}
				catch (IOException | RuntimeException ex) {
					failed = true;
					logger.warn("Could not sweep " + listing.location() + " to the end (" + ex.getMessage()
							+ "); the next sweep goes on with it");
				}
				record(listing.location(), location.tally());
				total.add(location.tally());
				if (location.lockLost()) {
					failed = true;
					logger.warn("The sweep's lock ran out before the sweep ended; raise smp.storage.sweep."
							+ "lock-at-most-for (now " + this.lock.atMost() + ") if this happens again");
					break;
				}
			}
		}
		this.metrics.pass(failed ? Outcome.FAILED : Outcome.SWEPT);
		return Optional.of(new Swept(total.aborted(), total.deleted(), total.foreign(), total.young()));
	}

	private void record(String location, Tally tally) {
		this.metrics.aborted(location, tally.aborted());
		this.metrics.deleted(location, tally.deleted());
		if (tally.complete()) {
			this.metrics.foreign(location, tally.foreign());
		}
		if (tally.aborted() + tally.deleted() > 0) {
			logger.info("Swept " + location + ": " + tally.aborted() + " unfinished upload(s) aborted and "
					+ tally.deleted() + " object(s) deleted that no live version named; " + tally.foreign()
					+ " key(s) not written by smp left alone; " + tally.young()
					+ " upload(s) and object(s) that no live version names kept until they are older than "
					+ this.minAge);
		}
		else {
			logger.debug("Swept " + location + ": nothing to remove; " + tally.foreign()
					+ " key(s) not written by smp left alone, " + tally.young() + " kept until older than " + this.minAge);
		}
	}

	private List<S3Listing> listings() {
		return this.blobs.all()
			.stream()
			.filter(S3BlobStore.class::isInstance)
			.map((store) -> new S3Listing((S3BlobStore) store, this.pageSize))
			.toList();
	}

	/**
	 * What a sweep did over all S3 locations.
	 * @param aborted unfinished uploads aborted
	 * @param deleted objects deleted
	 * @param foreign keys not in the server's layout, left alone
	 * @param young uploads and objects that no live version names, kept until they are older than the minimum age
	 */
	public record Swept(long aborted, long deleted, long foreign, long young) {
	}

}
