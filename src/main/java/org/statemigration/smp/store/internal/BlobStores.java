package org.statemigration.smp.store.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.statemigration.smp.store.blob.BlobStore;
import org.statemigration.smp.store.blob.FolderBlobStore;
import org.statemigration.smp.store.blob.s3.PartBuffers;
import org.statemigration.smp.store.blob.s3.S3BlobStore;
import org.statemigration.smp.store.blob.s3.S3Clients;
import org.statemigration.smp.store.blob.s3.S3Location;
import org.statemigration.smp.store.internal.StorageFolders.Folder;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * The blob store of each storage location: a folder ({@link FolderBlobStore}) or an S3 bucket
 * ({@link S3BlobStore}, whose bucket must answer when the server starts). A version records the location it was
 * written to, and is read and removed through that location's store; a folder even after it was taken out of the
 * configuration, an S3 location only while it is configured (its credentials are in the configuration).
 */
@Component
public class BlobStores implements DisposableBean {

	/** The bytes one ranged GET of a restore fetches from S3. */
	static final int S3_READ_WINDOW = 4 * 1024 * 1024;

	/** The most transfers a server runs when no limit is configured: its S3 connection pools are as large. */
	private static final int MOST_TRANSFERS = TransferExecutorConfiguration.MOST_TRANSFERS_FROM_HEAP;

	private final Map<String, BlobStore> configured = new LinkedHashMap<>();

	private final List<S3Client> clients = new ArrayList<>();

	private final AsyncTaskExecutor flushes;

	@Autowired
	public BlobStores(StorageFolders folders, StoreProperties properties, ReservationRepository reservations,
			PartLedgerRepository ledger, @Value("${smp.transfers.max-concurrent:0}") int maxTransfers,
			@Qualifier(TransferExecutorConfiguration.TRANSFER_EXECUTOR) AsyncTaskExecutor flushes) {
		this.flushes = flushes;
		PartBuffers buffers = null;
		try {
			for (Folder folder : folders.all()) {
				if (folder.isS3()) {
					if (buffers == null) {
						buffers = partBuffers(properties.storage().s3());
					}
					this.configured.put(folder.location(), s3(folder.s3(), buffers, reservations, ledger,
							(maxTransfers > 0) ? maxTransfers : MOST_TRANSFERS));
				}
				else {
					this.configured.put(folder.location(), folder(folder));
				}
			}
		}
		catch (RuntimeException ex) {
			destroy();
			throw ex;
		}
	}

	/** The stores of folders only (tests that run without S3 and without a database). */
	public BlobStores(StorageFolders folders, AsyncTaskExecutor flushes) {
		this.flushes = flushes;
		for (Folder folder : folders.all()) {
			if (folder.isS3()) {
				throw new IllegalArgumentException("S3 locations need the database: " + folder.location());
			}
			this.configured.put(folder.location(), folder(folder));
		}
	}

	private BlobStore folder(Folder folder) {
		return new FolderBlobStore(Path.of(folder.location()), folder.minFreeBytes(), folder.minFreePercent(),
				folder.databaseReserveBytes(), this.flushes);
	}

	private static PartBuffers partBuffers(StoreProperties.S3Transfers transfers) {
		long memory = (transfers != null && transfers.bufferMemory() != null) ? transfers.bufferMemory().toBytes()
				: PartBuffers.defaultMemory();
		return new PartBuffers(memory, (transfers != null) ? transfers.bufferWait() : java.time.Duration.ofSeconds(30));
	}

	/** The store of an S3 location, once its bucket answered; its resumable uploads' parts go to the ledger. */
	private S3BlobStore s3(S3Location location, PartBuffers buffers, ReservationRepository reservations,
			PartLedgerRepository ledger, int transfers) {
		S3Client client = S3Clients.create(location, transfers);
		this.clients.add(client);
		S3BlobStore store = new S3BlobStore(location, client, buffers, this.flushes, S3_READ_WINDOW,
				() -> reservations.storedBytes(location.location()), ledger);
		store.checkBucket();
		return store;
	}

	/**
	 * The store of the location a version records; for an S3 location that is no longer configured, one whose
	 * every operation fails ({@link UnconfiguredBlobStore}).
	 */
	public BlobStore at(String location) {
		BlobStore store = this.configured.get(location);
		if (store != null) {
			return store;
		}
		if (S3Location.isS3(location)) {
			return new UnconfiguredBlobStore(location);
		}
		return new FolderBlobStore(Path.of(location), 0, -1, 0, this.flushes);
	}

	/** The stores of the configured locations. */
	public List<BlobStore> all() {
		return List.copyOf(this.configured.values());
	}

	/** The store of a configured location. */
	public BlobStore of(Folder folder) {
		return at(folder.location());
	}

	@Override
	public void destroy() {
		this.clients.forEach(S3Client::close);
		this.clients.clear();
	}

}
