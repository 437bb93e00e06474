package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.settings.RuntimeSettings;
import org.statemigration.smp.store.CaptureInProgressException;
import org.statemigration.smp.store.DigestMismatchException;
import org.statemigration.smp.store.PendingStateStore;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.BlobStore;
import org.statemigration.smp.store.blob.BlobWriter;
import org.statemigration.smp.store.internal.UploadEncryption.Written;
import org.statemigration.smp.store.internal.UploadingVersions.UploadingVersion;

import org.springframework.stereotype.Component;

/**
 * Writes a new version from one request's body, outside any transaction (it may take hours): its bytes are
 * reserved, its row written, the body encrypted into a new blob, size and digest checked, and only then is the blob
 * committed in its store, durable and whole. Whatever ends the upload early gives back its blob, its row and its
 * reservation.
 */
@Component
public class StateStoreWriter {

	private static final Log logger = LogFactory.getLog(StateStoreWriter.class);

	/** How far a chunked upload's reservation runs ahead of its bytes. */
	static final long GROWTH_STEP = 64L * 1024 * 1024;

	private final UploadReservations reservations;

	private final UploadingVersions versions;

	private final UploadEncryption encryption;

	private final BlobStores blobs;

	StateStoreWriter(UploadReservations reservations, UploadingVersions versions, UploadEncryption encryption,
			BlobStores blobs) {
		this.reservations = reservations;
		this.versions = versions;
		this.encryption = encryption;
		this.blobs = blobs;
	}

	/**
	 * Writes the version, durable and verified, but not yet current.
	 * @param declaredLength Content-Length, or -1 for a chunked body
	 * @param expectedSha256 the SHA-256 the client declared, or null
	 * @param settings the runtime settings the upload runs under: its quota and idle expiry
	 */
	public PendingStateStore write(UUID id, UUID associationId, InputStream body, long declaredLength,
			byte[] expectedSha256, RuntimeSettings settings) throws IOException {
		long quota = settings.maxStoreSizeBytes();
		Reservation reservation = this.reservations.reserve(associationId, id,
				(declaredLength >= 0) ? declaredLength : Math.min(GROWTH_STEP, quota), settings.uploadExpiry());
		UploadingVersion version;
		try {
			version = this.versions.start(id, associationId, reservation.folder());
		}
		catch (CaptureInProgressException ex) {
			this.reservations.release(reservation);
			throw ex;
		}
		BlobStore store = this.blobs.at(reservation.folder());
		BlobWriter blob = null;
		try (version) {
			blob = store.create(new BlobKey(associationId, id));
			ReservationKeeper keeper = new ReservationKeeper(reservation, declaredLength < 0, quota,
					settings.uploadExpiry());
			Written written = this.encryption.encrypt(body, declaredLength, quota, blob, version.key(),
					version.keyVersion(), SegmentedStreamFormat.associatedData(id, version.version()),
					keeper::advanced);
			if (expectedSha256 != null && !MessageDigest.isEqual(expectedSha256, written.sha256())) {
				throw new DigestMismatchException("The body's SHA-256 differs from its Repr-Digest; nothing was stored");
			}
			blob.commit();
			return new PendingStateStore(id, associationId, version.version(), written.size(),
					HexFormat.of().formatHex(written.sha256()));
		}
		catch (Throwable ex) {
			// an Error too: whatever ends the upload gives back its blob, its version and its reservation
			abort(blob, ex);
			forget(id, reservation, ex);
			if (ex instanceof IOException io) {
				throw StorageRefusals.unlessDiskFull(io, store, "nothing was stored");
			}
			throw ex;
		}
	}

	private static void abort(BlobWriter blob, Throwable failure) {
		if (blob == null) {
			return;
		}
		try {
			blob.abort();
		}
		catch (IOException | RuntimeException ex) {
			failure.addSuppressed(ex);
		}
	}

	/**
	 * Removes a failed upload's row and reservation. Without a database they stay, and the request's own failure is
	 * what the caller hears: the periodic reconciliation removes them later.
	 */
	private void forget(UUID id, Reservation reservation, Throwable failure) {
		try {
			this.versions.forget(id);
			this.reservations.release(reservation);
		}
		catch (RuntimeException ex) {
			failure.addSuppressed(ex);
			logger.warn("Could not remove failed upload " + id + " (" + ex.getMessage()
					+ "); it is removed once the database answers again");
		}
	}

	/**
	 * Keeps an upload's reservation ahead of its bytes: a chunked body grows it a step at a time before it runs
	 * out, and every step of progress marks the upload as active, so that it does not count as idle.
	 */
	private final class ReservationKeeper {

		private final boolean chunked;

		private final long quota;

		private final Duration idleExpiry;

		private Reservation reservation;

		private long nextTouch = GROWTH_STEP;

		ReservationKeeper(Reservation reservation, boolean chunked, long quota, Duration idleExpiry) {
			this.reservation = reservation;
			this.chunked = chunked;
			this.quota = quota;
			this.idleExpiry = idleExpiry;
		}

		void advanced(long total) {
			boolean needsRoom = this.chunked && total >= this.reservation.bytes();
			if (!needsRoom && total < this.nextTouch) {
				return;
			}
			long wanted = needsRoom ? Math.max(total, Math.min(total + GROWTH_STEP, this.quota)) : this.reservation.bytes();
			this.reservation = StateStoreWriter.this.reservations.grow(this.reservation, wanted, this.idleExpiry);
			this.nextTouch = total + GROWTH_STEP;
		}

	}

}
