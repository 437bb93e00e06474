package org.statemigration.smp.backup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.audit.AuditProperties;
import org.statemigration.smp.backup.internal.DatabaseSnapshot.CommittedVersion;
import org.statemigration.smp.backup.internal.DatabaseSnapshot.Taken;
import org.statemigration.smp.backup.internal.Manifest.FileEntry;
import org.statemigration.smp.backup.internal.Manifest.LeftOut;
import org.statemigration.smp.backup.internal.Manifest.StoreEntry;
import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.store.CommittedBlobs;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes a backup into a folder: the snapshot of the tables, then the blob of every committed version in it that
 * the folder does not hold yet (a version's blob never changes once committed, so an earlier backup's copy is kept
 * as it is), the audit file up to the snapshot's newest event, and the manifest last. A version deleted by
 * retention between the snapshot and the copy of its blob makes the snapshot older than the blobs: the backup then
 * takes a new snapshot and copies only what is new, so that no backup restores a committed row without its blob.
 */
@Component
public class BackupWriter {

	static final String ACTION = "backup.create";

	/** Snapshots taken at most, when retention keeps deleting versions under the backup. */
	private static final int ATTEMPTS = 5;

	private final DatabaseSnapshot snapshot;

	private final CommittedBlobs blobs;

	private final JdbcClient jdbc;

	private final KeyEncryptionKeys keys;

	private final AuditProperties auditProperties;

	private final AuditLog audit;

	private final Clock clock;

	BackupWriter(DatabaseSnapshot snapshot, CommittedBlobs blobs, JdbcClient jdbc, KeyEncryptionKeys keys,
			AuditProperties auditProperties, AuditLog audit, Clock clock) {
		this.snapshot = snapshot;
		this.blobs = blobs;
		this.jdbc = jdbc;
		this.keys = keys;
		this.auditProperties = auditProperties;
		this.audit = audit;
		this.clock = clock;
	}

	/** Writes the backup (without the keys) and returns its manifest. */
	public BackupSummary write(Path folder, BackupProgress progress) throws IOException {
		return write(folder, progress, "system");
	}

	/**
	 * Writes the backup (without the keys) and returns its manifest.
	 * @param actor who took it, as the audit event names it
	 */
	public BackupSummary write(Path folder, BackupProgress progress, String actor) throws IOException {
		PreviousBackup previous = PreviousBackup.open(folder);
		Map<UUID, FileEntry> copied = new HashMap<>();
		long copiedBytes = 0;
		for (int attempt = 1;; attempt++) {
			progress.say("Taking a snapshot of the database");
			Taken taken = this.snapshot.take(folder);
			List<CommittedVersion> toCopy = new ArrayList<>();
			List<StoreEntry> stores = new ArrayList<>();
			List<FileEntry> files = new ArrayList<>(taken.files());
			for (CommittedVersion version : taken.committed()) {
				FileEntry kept = copied.getOrDefault(version.storeId(), previous.reusable(folder, version.storeId()));
				if (kept != null) {
					copied.putIfAbsent(version.storeId(), kept);
				}
				else {
					toCopy.add(version);
				}
			}
			if (copyAll(folder, toCopy, copied, progress)) {
				for (CommittedVersion version : taken.committed()) {
					FileEntry file = copied.get(version.storeId());
					stores.add(new StoreEntry(version.associationId(), version.storeId(), version.location(),
							file.path(), file.size()));
					files.add(file);
				}
				copiedBytes += toCopy.stream().mapToLong((version) -> copied.get(version.storeId()).size()).sum();
				FileEntry auditFile = AuditFileCopy.copy(this.auditProperties.file(), folder, taken.auditHead());
				if (auditFile != null) {
					files.add(auditFile);
				}
				Manifest manifest = manifest(taken, stores, files);
				manifest.write(folder);
				previous.removeLeftovers(folder, manifest);
				this.audit.recordAlone(actor, ACTION, "backup", AuditOutcome.SUCCESS,
						"schema " + taken.schemaVersion() + ", " + stores.size() + " state store(s), " + toCopy.size()
								+ " copied, " + taken.uploading().size() + " upload(s) in progress not included");
				return new BackupSummary(manifest, toCopy.size(), copiedBytes);
			}
			copiedBytes += toCopy.stream()
				.filter((version) -> copied.containsKey(version.storeId()))
				.mapToLong((version) -> copied.get(version.storeId()).size())
				.sum();
			if (attempt == ATTEMPTS) {
				throw new IllegalStateException("State stores kept being deleted while they were copied; try again");
			}
			progress.say("A state store was deleted (by retention) after the snapshot; taking a new one");
		}
	}

	/**
	 * Copies the blobs; false if one was deleted since the snapshot (the snapshot must be taken again).
	 * @throws IllegalStateException if a version that is still committed has no blob
	 */
	private boolean copyAll(Path folder, List<CommittedVersion> versions, Map<UUID, FileEntry> copied,
			BackupProgress progress) throws IOException {
		long total = 0;
		for (CommittedVersion version : versions) {
			total += this.blobs.size(version.location(), version.associationId(), version.storeId());
		}
		progress.start("Copying " + versions.size() + " state store(s)", total);
		try {
			for (CommittedVersion version : versions) {
				Path target = folder.resolve("stores")
					.resolve(version.associationId().toString())
					.resolve(version.storeId() + ".smp");
				try (InputStream in = this.blobs.open(version.location(), version.associationId(), version.storeId())) {
					copied.put(version.storeId(), BackupFolder.copy(in, folder, target, progress::advance));
				}
				catch (NoSuchFileException ex) {
					if (stillCommitted(version.storeId())) {
						throw new IllegalStateException("State store " + version.storeId() + " of association "
								+ version.associationId() + " is committed but its file is missing in "
								+ version.location());
					}
					return false;
				}
			}
			return true;
		}
		finally {
			progress.finish();
		}
	}

	private boolean stillCommitted(UUID storeId) {
		return this.jdbc.sql("SELECT status FROM state_store WHERE id = ?")
			.param(storeId)
			.query(String.class)
			.optional()
			.map("COMMITTED"::equals)
			.orElse(false);
	}

	private Manifest manifest(Taken taken, List<StoreEntry> stores, List<FileEntry> files) {
		List<LeftOut> leftOut = new ArrayList<>();
		BackupTables.TRANSIENT.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.forEach((entry) -> leftOut.add(new LeftOut("table " + entry.getKey(), entry.getValue())));
		leftOut.add(new LeftOut("state_store rows UPLOADING and their unfinished blobs",
				taken.uploading().size() + " upload(s) in progress, listed in uploadsNotIncluded: the computers "
						+ "capture again"));
		leftOut.add(new LeftOut("keys/master.key",
				"the master key: not in this backup unless keysFile names it; keep it apart from the backup"));
		leftOut.add(new LeftOut("tls/", "the server's TLS key store: only in keysFile"));
		leftOut.add(new LeftOut("node-id, initial-admin-password, keys/ca.crt, tls/client-ca.p12",
				"each server's own, or written again from the database at start"));
		int version = this.keys.currentVersion();
		return new Manifest(Manifest.FORMAT, this.clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
				smpVersion(), taken.database(), taken.schemaVersion(), taken.auditHead(), version,
				KeyCheck.of(this.keys, version), null, taken.tables(), stores, taken.uploading(), leftOut, files);
	}

	static String smpVersion() {
		String version = BackupWriter.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "development";
	}

	/** The written manifest, and how much this backup copied (the rest an earlier one in the folder had). */
	public record BackupSummary(Manifest manifest, int storesCopied, long bytesCopied) {
	}

}
