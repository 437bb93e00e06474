package org.statemigration.smp.store.internal.upload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.store.Reservation;
import org.statemigration.smp.store.StorageReservations;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.ResumableUploadRepository.Row;

/**
 * Keeps a resumable upload alive while a chunk streams into it: its reservation's expiry (the upload's) and the
 * request's lease are renewed once a minute, so that neither cleanup nor another request takes the upload from a
 * slow but steady client.
 */
final class UploadKeeper {

	private static final Duration RENEW_EVERY = Duration.ofMinutes(1);

	private final Row row;

	private final ResumableUploadRepository uploads;

	private final StorageReservations reservations;

	private final String nodeId;

	private final Settings settings;

	private final Clock clock;

	private final Duration lease;

	private Instant renewed;

	UploadKeeper(Row row, ResumableUploadRepository uploads, StorageReservations reservations, String nodeId,
			Settings settings, Clock clock, Duration lease) {
		this.row = row;
		this.uploads = uploads;
		this.reservations = reservations;
		this.nodeId = nodeId;
		this.settings = settings;
		this.clock = clock;
		this.lease = lease;
		this.renewed = clock.instant();
	}

	/** Told after each piece of the chunk; renews at most once a minute. */
	void advanced() {
		if (this.clock.instant().isAfter(this.renewed.plus(RENEW_EVERY))) {
			touch();
			this.uploads.renewLease(this.row.id(), this.nodeId, this.clock.instant().plus(this.lease));
		}
	}

	/** Marks the upload active; returns its new expiry. */
	Instant touch() {
		Duration expiry = this.settings.current().uploadExpiry();
		Reservation reservation = new Reservation(this.row.reservationId(), this.row.associationId(), this.row.id(),
				this.row.folder(), this.row.reservedBytes());
		this.reservations.grow(reservation, this.row.reservedBytes(), expiry);
		this.renewed = this.clock.instant();
		return this.renewed.plus(expiry);
	}

}
