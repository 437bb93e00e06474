package org.statemigration.smp.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.association.AssociationDeleted;
import org.statemigration.smp.crypto.CiphertextAuthenticationException;
import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.SegmentedDecryptingReader;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.settings.RuntimeSettings;
import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.store.internal.EncryptingFileWriter;
import org.statemigration.smp.store.internal.NodeIdentity;
import org.statemigration.smp.store.internal.ReadAheadInputStream;
import org.statemigration.smp.store.internal.StateStoreRepository;
import org.statemigration.smp.store.internal.StateStoreRepository.StoredFile;
import org.statemigration.smp.store.internal.StorageRefusals;
import org.statemigration.smp.store.internal.TransferExecutorConfiguration;
import org.statemigration.smp.store.internal.UploadsInProgress;
import org.statemigration.smp.store.internal.VersionKeys;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes and reads the encrypted versions of state stores. A new version is streamed to a temporary file,
 * fsynced, verified, renamed into place and the folder fsynced ({@link #receive}); only then does
 * {@link #commit} make it current in the database, in the caller's transaction. A crash at any point leaves the
 * previous version current and readable.
 */
@Service
public class StateStores {

	private static final Log logger = LogFactory.getLog(StateStores.class);

	/** How far a chunked upload's reservation runs ahead of its bytes. */
	static final long GROWTH_STEP = 64L * 1024 * 1024;

	private final StateStoreRepository stores;

	private final StorageReservations reservations;

	private final NodeIdentity node;

	private final VersionKeys keys;

	private final Settings settings;

	private final Clock clock;

	private final UploadsInProgress inProgress;

	private final EncryptingFileWriter writer;

	private final AsyncTaskExecutor transferExecutor;

	StateStores(StateStoreRepository stores, StorageReservations reservations, NodeIdentity node, VersionKeys keys, Settings settings, Clock clock, UploadsInProgress inProgress,
			EncryptingFileWriter writer,
			@Qualifier(TransferExecutorConfiguration.TRANSFER_EXECUTOR) AsyncTaskExecutor transferExecutor) {
		this.inProgress = inProgress;
		this.writer = writer;
		this.transferExecutor = transferExecutor;
		this.stores = stores;
		this.reservations = reservations;
		this.node = node;
		this.keys = keys;
		this.settings = settings;
		this.clock = clock;
	}

	public long maxStoreSize() {
		return this.settings.current().maxStoreSizeBytes();
	}

	/**
	 * Streams a new version of the association's store to disk, durable and verified, but not yet current.
	 * @param declaredLength Content-Length, or -1 for a chunked body
	 * @param expectedSha256 the SHA-256 the client declared, or null
	 */
	public PendingStateStore receive(UUID associationId, InputStream body, long declaredLength, byte[] expectedSha256)
			throws IOException {
		RuntimeSettings settings = this.settings.current();
		long quota = settings.maxStoreSizeBytes();
		if (declaredLength > quota) {
			throw new QuotaExceededException("The state store is larger than the quota of " + quota + " bytes");
		}
		UUID id = UUID.randomUUID();
		// before any row names it: from here until commit or discard, nothing it holds is stranded
		this.inProgress.begin(id);
		boolean received = false;
		try {
			PendingStateStore pending = receive(id, associationId, body, declaredLength, expectedSha256, settings);
			received = true;
			return pending;
		}
		finally {
			if (!received) {
				this.inProgress.end(id);
			}
		}
	}

	private PendingStateStore receive(UUID id, UUID associationId, InputStream body, long declaredLength,
			byte[] expectedSha256, RuntimeSettings settings) throws IOException {
		long quota = settings.maxStoreSizeBytes();
		Reservation reservation = this.reservations.reserveUpload(associationId, id,
				(declaredLength >= 0) ? declaredLength : Math.min(GROWTH_STEP, quota), settings.uploadExpiry());
		long version = this.stores.nextVersion(associationId);
		Path directory = reservation.folder().resolve(associationId.toString());
		String fileName = id + ".smp";
		try (DataKey key = DataKey.generate()) {
			try {
				this.stores.insertUploading(id, associationId, version, reservation.folder().toString(), fileName,
						this.keys.wrap(id, key), this.node.id(), this.clock.instant());
			}
			catch (DuplicateKeyException ex) {
				// another capture of the association took this version number between our read and our insert
				logger.debug("Concurrent capture of association " + associationId, ex);
				this.reservations.release(reservation);
				throw new CaptureInProgressException();
			}
			Path temp = directory.resolve(id + ".part");
			try {
				createDirectory(directory);
				ReservationKeeper keeper = new ReservationKeeper(reservation, declaredLength < 0, quota,
						settings.uploadExpiry());
				EncryptingFileWriter.Written written = this.writer.write(body, declaredLength, quota, temp, key,
						this.keys.currentVersion(), SegmentedStreamFormat.associatedData(id, version), keeper::advanced);
				if (expectedSha256 != null && !MessageDigest.isEqual(expectedSha256, written.sha256())) {
					throw new DigestMismatchException("The body's SHA-256 differs from its Repr-Digest; nothing was stored");
				}
				Files.move(temp, directory.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
				fsync(directory);
				return new PendingStateStore(id, associationId, version, written.size(),
						HexFormat.of().formatHex(written.sha256()));
			}
			catch (Throwable ex) {
				// an Error too: whatever ends the upload gives back its file, its version and its reservation
				Files.deleteIfExists(temp);
				forget(id, reservation, ex);
				if (ex instanceof IOException io) {
					throw StorageRefusals.unlessDiskFull(io, reservation.folder(), "nothing was stored");
				}
				throw ex;
			}
		}
	}

	/**
	 * Removes a failed upload's row and reservation. Without a database they stay, and the request's own failure is
	 * what the caller hears: the periodic reconciliation ({@link StrandedUploads}) removes them later.
	 */
	private void forget(UUID id, Reservation reservation, Throwable failure) {
		try {
			this.stores.delete(id);
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
			this.reservation = StateStores.this.reservations.grow(this.reservation, wanted, this.idleExpiry);
			this.nextTouch = total + GROWTH_STEP;
		}

	}

	/**
	 * Makes a received version the association's current one, in the caller's transaction; the versions it
	 * replaces are shredded, and their files removed once the transaction commits.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public StoredStateStore commit(PendingStateStore pending) {
		this.inProgress.endAfterTransaction(pending.id());
		List<StoredFile> replaced = this.stores.supersede(pending.associationId());
		this.reservations.releaseUpload(pending.id());
		if (!this.stores.commit(pending.id(), pending.sizeBytes(), pending.sha256(), this.clock.instant())) {
			throw new IllegalStateException("Version " + pending.id() + " is no longer uploading");
		}
		StoreFiles.deleteAfterCommit(replaced);
		return new StoredStateStore(pending.id(), pending.associationId(), pending.version(), pending.sizeBytes(),
				pending.sha256());
	}

	/** Throws away a received version that could not be committed. */
	public void discard(PendingStateStore pending) {
		try {
			this.stores.file(pending.id()).ifPresent(StoreFiles::delete);
			this.stores.delete(pending.id());
		}
		finally {
			this.inProgress.end(pending.id());
		}
	}

	/**
	 * The association's current version.
	 * @throws NoStateStoreException if nothing has been captured
	 */
	@Transactional(readOnly = true)
	public StoredStateStore current(UUID associationId) {
		return this.stores.current(associationId)
			.orElseThrow(() -> new NoStateStoreException("Nothing has been captured for this association yet"));
	}

	/** The association's current version, or empty before any capture. */
	@Transactional(readOnly = true)
	public Optional<StoredStateStore> findCurrent(UUID associationId) {
		return this.stores.current(associationId);
	}

	/** Where a version's encrypted file lies on disk. */
	@Transactional(readOnly = true)
	public Path location(StoredStateStore store) {
		return this.stores.file(store.id())
			.map(StoredFile::path)
			.orElseThrow(() -> new NoStateStoreException("The state store is no longer available"));
	}

	/**
	 * Opens a range of a version's plaintext. The stream authenticates every segment as it reads it and fails
	 * with an {@link IOException} on tampered data.
	 */
	public InputStream open(StoredStateStore store, long offset, long length) throws IOException {
		StoredFile file = this.stores.file(store.id())
			.filter((f) -> f.wrappedKey() != null)
			.orElseThrow(() -> new NoStateStoreException("The state store is no longer available"));
		FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ);
		try (DataKey key = this.keys.unwrap(store.id(), file.wrappedKey())) {
			SegmentedDecryptingReader reader = SegmentedDecryptingReader.of(channel, key,
					SegmentedStreamFormat.associatedData(store.id(), store.version()));
			if (reader.plaintextSize() != store.sizeBytes()) {
				// a range that ends before the last segment could not notice a truncated or extended file
				throw new CiphertextAuthenticationException("State store " + store.id() + " has "
						+ reader.plaintextSize() + " bytes on disk, " + store.sizeBytes() + " were committed");
			}
			return new ReadAheadInputStream(new ChannelClosingInputStream(reader.open(offset, length), channel),
					this.transferExecutor);
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	/** Destroys an association's data when it is deleted: keys first (crypto-shredding), files after commit. */
	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	public void onAssociationDeleted(AssociationDeleted event) {
		this.reservations.releaseAssociation(event.associationId());
		StoreFiles.deleteAfterCommit(this.stores.shred(event.associationId()));
	}

	private static void createDirectory(Path directory) throws IOException {
		if (Files.notExists(directory)) {
			Files.createDirectories(directory);
			fsync(directory.getParent());
		}
	}

	private static void fsync(Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

}
