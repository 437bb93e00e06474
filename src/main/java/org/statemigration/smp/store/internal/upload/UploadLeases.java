package org.statemigration.smp.store.internal.upload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.store.UploadConflictException;
import org.statemigration.smp.store.internal.NodeIdentity;
import org.statemigration.smp.store.internal.Reservation;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.ResumableUploadRepository.Row;
import org.statemigration.smp.store.internal.UploadReservations;
import org.statemigration.smp.store.internal.UploadsInProgress;

import org.springframework.stereotype.Component;

/**
 * One request at a time per resumable upload: a lease on its row, taken with a conditional update at the stored
 * offset (so that it works the same from any server) and an in-memory guard on this server, since the lease alone
 * would let this server's own requests collide. Whatever a request does to an upload's file, it does under the
 * lease.
 */
@Component
public class UploadLeases {

	private static final Log logger = LogFactory.getLog(UploadLeases.class);

	/** How long a lease lasts without renewal; requests renew theirs while they stream. */
	private static final Duration LEASE = Duration.ofMinutes(15);

	private static final Duration RENEW_EVERY = Duration.ofMinutes(1);

	private final ResumableUploadRepository uploads;

	private final UploadReservations reservations;

	private final NodeIdentity node;

	private final Settings settings;

	private final Clock clock;

	private final UploadsInProgress inProgress;

	/** Uploads a request on this server is writing. */
	private final Set<UUID> writing = ConcurrentHashMap.newKeySet();

	UploadLeases(ResumableUploadRepository uploads, UploadReservations reservations, NodeIdentity node,
			Settings settings, Clock clock, UploadsInProgress inProgress) {
		this.uploads = uploads;
		this.reservations = reservations;
		this.node = node;
		this.settings = settings;
		this.clock = clock;
		this.inProgress = inProgress;
	}

	/**
	 * Takes the upload's lease at its stored offset.
	 * @throws UploadConflictException if another request holds it, or the offset moved on
	 */
	Lease take(Row row) {
		return take(row, true).orElseThrow();
	}

	/** Takes the upload's lease at its stored offset, unless another request holds it. */
	Optional<Lease> takeIfFree(Row row) {
		return take(row, false);
	}

	private Optional<Lease> take(Row row, boolean required) {
		if (!this.writing.add(row.id())) {
			if (required) {
				throw new UploadConflictException("Another request is writing this upload");
			}
			return Optional.empty();
		}
		this.inProgress.begin(row.id());
		try {
			Instant now = this.clock.instant();
			if (!this.uploads.lease(row.id(), row.offset(), this.node.id(), now, now.plus(LEASE))) {
				if (required) {
					throw new UploadConflictException("Another request is writing this upload, or its offset moved on");
				}
				leave(row.id());
				return Optional.empty();
			}
			return Optional.of(new Lease(row, now));
		}
		catch (RuntimeException ex) {
			leave(row.id());
			throw ex;
		}
	}

	private void leave(UUID id) {
		this.writing.remove(id);
		this.inProgress.end(id);
	}

	/**
	 * A request's lease on an upload. While a chunk streams, it keeps the upload alive: the lease and the
	 * reservation's expiry (the upload's) are renewed once a minute, so that neither cleanup nor another request
	 * takes the upload from a slow but steady client. Closing it gives it back, unless the request completed the
	 * upload: that one keeps the lease, and the upload stays in progress, until its commit or discard removes the
	 * row, so that no other request takes the finished blob back from where the commit expects it.
	 */
	final class Lease implements AutoCloseable {

		private final Row row;

		private Instant renewed;

		private boolean completed;

		private Lease(Row row, Instant taken) {
			this.row = row;
			this.renewed = taken;
		}

		/** Told after each piece of the chunk; renews at most once a minute. */
		void advanced() {
			Clock clock = UploadLeases.this.clock;
			if (clock.instant().isAfter(this.renewed.plus(RENEW_EVERY))) {
				touch();
				UploadLeases.this.uploads.renewLease(this.row.id(), UploadLeases.this.node.id(),
						clock.instant().plus(LEASE));
			}
		}

		/** Marks the upload active; returns its new expiry. */
		Instant touch() {
			Duration expiry = UploadLeases.this.settings.current().uploadExpiry();
			Reservation reservation = new Reservation(this.row.reservationId(), this.row.associationId(),
					this.row.id(), this.row.folder(), this.row.reservedBytes());
			UploadLeases.this.reservations.grow(reservation, this.row.reservedBytes(), expiry);
			this.renewed = UploadLeases.this.clock.instant();
			return this.renewed.plus(expiry);
		}

		/** The request completed the upload and goes on to commit it (or throw it away). */
		void completed() {
			this.completed = true;
		}

		@Override
		public void close() {
			if (this.completed) {
				UploadLeases.this.writing.remove(this.row.id());
				return;
			}
			try {
				// a no-op once the offset moved on, which gave the lease back already
				release();
			}
			finally {
				leave(this.row.id());
			}
		}

		/**
		 * Gives the lease back. Without a database it stays where it is, and the request's own outcome stands: the
		 * periodic reconciliation gives it back once the database is there again.
		 */
		private void release() {
			try {
				UploadLeases.this.uploads.release(this.row.id(), UploadLeases.this.node.id());
			}
			catch (RuntimeException ex) {
				logger.warn("Could not give back the lease of upload " + this.row.id() + " (" + ex.getMessage()
						+ "); it is released once the database answers again");
			}
		}

	}

}
