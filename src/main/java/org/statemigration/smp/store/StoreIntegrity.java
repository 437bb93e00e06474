package org.statemigration.smp.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.crypto.CiphertextAuthenticationException;
import org.statemigration.smp.crypto.CiphertextSizeException;
import org.statemigration.smp.crypto.CryptoException;
import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.SegmentAuthenticationException;
import org.statemigration.smp.crypto.SegmentedStreamCheck;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.store.StoreCheck.Verdict;
import org.statemigration.smp.store.internal.BlobStores;
import org.statemigration.smp.store.internal.NodeIdentity;
import org.statemigration.smp.store.internal.StateStoreRepository;
import org.statemigration.smp.store.internal.StateStoreRepository.CommittedFile;
import org.statemigration.smp.store.internal.StateStoreRepository.StoredFile;
import org.statemigration.smp.store.internal.VersionBlobs;
import org.statemigration.smp.store.internal.VersionKeys;

import org.springframework.stereotype.Service;

/**
 * Checks committed versions whole, as the integrity scrub does: the blob is read through its location's store,
 * every segment authenticated and decrypted into a buffer that is reused and cleared (no plaintext is kept or
 * handed out), and the plaintext's SHA-256 compared with the one recorded when the version was committed. The
 * memory a check holds does not depend on the size of the version. A check takes no database transaction while
 * it reads.
 */
@Service
public class StoreIntegrity {

	private final StateStoreRepository stores;

	private final VersionKeys keys;

	private final BlobStores blobs;

	private final NodeIdentity node;

	public StoreIntegrity(StateStoreRepository stores, VersionKeys keys, BlobStores blobs, NodeIdentity node) {
		this.stores = stores;
		this.keys = keys;
		this.blobs = blobs;
		this.node = node;
	}

	/**
	 * This server's id among those that share the database ({@code <data-dir>/node-id}), as the storage's own lock
	 * rows name their holder: a lock of the scrub's must name its holder by it too, not by the host's name, which
	 * two servers on one host share.
	 */
	public String nodeId() {
		return this.node.id();
	}

	/** The ids of the committed versions in their order, after the one given (from the first when null). */
	public List<UUID> committedAfter(UUID after, int limit) {
		return this.stores.committedAfter(after, limit).stream().map((file) -> file.store().id()).toList();
	}

	/** How many versions are committed and the size of their plaintext together, for a progress display. */
	public Totals totals() {
		long[] totals = this.stores.committedTotals();
		return new Totals(totals[0], totals[1]);
	}

	/** The committed version of that id, if there is one. */
	public Optional<StoredStateStore> committed(UUID storeId) {
		return this.stores.committed(storeId).map(CommittedFile::store);
	}

	/**
	 * Checks one committed version whole.
	 * @param pace told of every segment before it is read: a budget of bytes per second waits there; an
	 * {@link InterruptedIOException} it throws stops the check and is thrown from here
	 * @return what was found, or empty if the id names no committed version (any more)
	 * @throws InterruptedIOException if the pace stopped the check
	 */
	public Optional<StoreCheck> check(UUID storeId, SegmentedStreamCheck.Pace pace) throws InterruptedIOException {
		Optional<CommittedFile> committed = this.stores.committed(storeId);
		if (committed.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(check(committed.get().store(), committed.get().file(), pace));
	}

	private StoreCheck check(StoredStateStore store, StoredFile file, SegmentedStreamCheck.Pace pace)
			throws InterruptedIOException {
		Result result = new Result(store, file.path());
		if (file.wrappedKey() == null) {
			return result.is(Verdict.UNREADABLE, null, "The committed version has no data key");
		}
		DataKey key;
		try {
			key = this.keys.unwrap(store.id(), file.wrappedKey());
		}
		catch (CryptoException ex) {
			return result.is(Verdict.UNREADABLE, null,
					"The data key does not unwrap with the master key file's keys (" + ex.getMessage() + ")");
		}
		try (key; SeekableByteChannel channel = this.blobs.at(file.folder()).read(VersionBlobs.key(file))) {
			SegmentedStreamCheck check = SegmentedStreamCheck.of(channel, key,
					SegmentedStreamFormat.associatedData(store.id(), store.version()), store.sizeBytes());
			result.bytesRead = SegmentedStreamFormat.HEADER_LENGTH;
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			check.run(sha256, (index, sealedLength) -> {
				pace.beforeSegment(index, sealedLength);
				result.bytesRead += sealedLength;
			});
			String digest = HexFormat.of().formatHex(sha256.digest());
			if (!digest.equalsIgnoreCase(store.sha256())) {
				return result.is(Verdict.DIGEST_MISMATCH, null, "Every segment authenticated, but the plaintext's "
						+ "SHA-256 is " + digest + ", " + store.sha256() + " was recorded at the commit");
			}
			return result.is(Verdict.INTACT, null, "Every segment authenticated and the SHA-256 matches");
		}
		catch (InterruptedIOException ex) {
			throw ex;
		}
		catch (ClosedByInterruptException ex) {
			throw new InterruptedIOException("interrupted while reading " + file.path());
		}
		catch (NoSuchFileException ex) {
			return result.is(Verdict.MISSING, null, "The blob is not in its location");
		}
		catch (CiphertextSizeException ex) {
			return result.is(ex.truncated() ? Verdict.TRUNCATED : Verdict.EXTENDED, null,
					"The blob has " + ex.actual() + " bytes, not the size its " + store.sizeBytes()
							+ " committed bytes encrypt to");
		}
		catch (SegmentAuthenticationException ex) {
			return result.is(Verdict.AUTHENTICATION_FAILED, ex.segment(),
					"Segment " + ex.segment() + " failed authentication");
		}
		catch (CiphertextAuthenticationException ex) {
			return result.is(Verdict.TRUNCATED, null, "The blob ended early while it was read");
		}
		catch (CryptoException ex) {
			return result.is(Verdict.MALFORMED, null, ex.getMessage());
		}
		catch (IOException ex) {
			return result.is(Verdict.UNREADABLE, null, "The blob could not be read now (" + ex.getMessage() + ")");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	/**
	 * The committed versions, and the size of their plaintext together.
	 */
	public record Totals(long versions, long bytes) {
	}

	private static final class Result {

		private final StoredStateStore store;

		private final String location;

		private long bytesRead;

		private Result(StoredStateStore store, String location) {
			this.store = store;
			this.location = location;
		}

		private StoreCheck is(Verdict verdict, Long segment, String detail) {
			return new StoreCheck(this.store.id(), this.store.associationId(), this.store.version(), this.location,
					verdict, segment, this.bytesRead, detail);
		}

	}

}
