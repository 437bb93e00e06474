package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.store.JobLock;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.s3.S3Listing;
import org.statemigration.smp.store.blob.s3.S3Listing.Found;

/**
 * One sweep of one S3 location ({@link S3Sweep}): its unfinished uploads, then its objects, a page at a time. Each
 * page is judged after it was listed, in one query for all its versions ({@link SweepRepository}): a key that is not
 * in the server's layout is counted and left alone; one whose version is live is kept; one that was started or
 * written after the cutoff is kept for a later sweep; the others are aborted or deleted. The lock is renewed as the
 * sweep goes, and once it is lost the sweep stops before it removes anything more.
 */
final class LocationSweep {

	private static final Log logger = LogFactory.getLog(LocationSweep.class);

	/** Keys removed that are logged one by one in a sweep of a location; the rest are counted only. */
	private static final int LOGGED_KEYS = 100;

	private final S3Listing listing;

	private final SweepRepository rows;

	private final JobLock.Held lock;

	private final Instant cutoff;

	private final Tally tally = new Tally();

	private boolean lockLost;

	/** @param cutoff what was started or written before it may be removed */
	LocationSweep(S3Listing listing, SweepRepository rows, JobLock.Held lock, Instant cutoff) {
		this.listing = listing;
		this.rows = rows;
		this.lock = lock;
		this.cutoff = cutoff;
	}

	void run() throws IOException {
		this.listing.unfinishedUploads(this::uploads);
		if (!this.lockLost) {
			this.listing.objects(this::objects);
		}
		this.tally.complete = !this.lockLost;
	}

	Tally tally() {
		return this.tally;
	}

	boolean lockLost() {
		return this.lockLost;
	}

	private boolean uploads(List<Found> page) throws IOException {
		for (Found upload : removable(page)) {
			if (!keepLock()) {
				return false;
			}
			this.listing.abort(upload);
			this.tally.aborted++;
			removed("Aborted the unfinished upload of " + this.listing.where(upload) + ", started " + upload.since());
		}
		return keepLock();
	}

	private boolean objects(List<Found> page) throws IOException {
		List<Found> removable = removable(page);
		if (removable.isEmpty()) {
			return keepLock();
		}
		if (!keepLock()) {
			return false;
		}
		Map<String, String> failed = this.listing.delete(removable);
		for (Found object : removable) {
			if (!failed.containsKey(object.key())) {
				this.tally.deleted++;
				removed("Deleted " + this.listing.where(object) + ", written " + object.since());
			}
		}
		if (!failed.isEmpty()) {
			Map.Entry<String, String> first = failed.entrySet().iterator().next();
			logger.warn("The sweep could not delete " + failed.size() + " object(s) of " + this.listing.location()
					+ ", among them " + first.getKey() + " (" + first.getValue() + "); the next sweep tries again");
		}
		return keepLock();
	}

	/** What of the page may go: the server's, named by no live version, and older than the cutoff. */
	private List<Found> removable(List<Found> page) {
		List<BlobKey> versions = page.stream().filter(Found::ours).map(Found::version).toList();
		Set<BlobKey> live = this.rows.live(this.listing.location(), versions);
		List<Found> removable = new ArrayList<>();
		for (Found found : page) {
			if (!found.ours()) {
				this.tally.foreign++;
			}
			else if (!live.contains(found.version())) {
				if (found.since() != null && found.since().isBefore(this.cutoff)) {
					removable.add(found);
				}
				else {
					this.tally.young++;
				}
			}
		}
		return removable;
	}

	private boolean keepLock() {
		if (!this.lockLost && !this.lock.keep()) {
			this.lockLost = true;
		}
		return !this.lockLost;
	}

	private void removed(String what) {
		if (this.tally.aborted + this.tally.deleted <= LOGGED_KEYS) {
			logger.info(what + ": no live version names it");
		}
		else {
			logger.debug(what + ": no live version names it");
		}
	}

	/** What sweeps removed and kept. */
	static final class Tally {

		private long aborted;

		private long deleted;

		private long foreign;

		private long young;

		private boolean complete;

		/** Unfinished uploads aborted. */
		long aborted() {
			return this.aborted;
		}

		/** Objects deleted. */
		long deleted() {
			return this.deleted;
		}

		/** Keys not in the server's layout, left alone. */
		long foreign() {
			return this.foreign;
		}

		/** Uploads and objects that no live version names, kept because they are younger than the cutoff. */
		long young() {
			return this.young;
		}

		/** Whether every page of the location was seen. */
		boolean complete() {
			return this.complete;
		}

		void add(Tally other) {
			this.aborted += other.aborted;
			this.deleted += other.deleted;
			this.foreign += other.foreign;
			this.young += other.young;
		}

		@Override
		public String toString() {
			return "Tally[aborted=" + this.aborted + ", deleted=" + this.deleted + ", foreign=" + this.foreign
					+ ", young=" + this.young + "]";
		}

	}

}
