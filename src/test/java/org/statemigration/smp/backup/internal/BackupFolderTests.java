package org.statemigration.smp.backup.internal;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.backup.internal.Manifest.FileEntry;
import org.statemigration.smp.backup.internal.Manifest.StoreEntry;
import org.statemigration.smp.backup.internal.Manifest.TableEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** The manifest written and read back, and the check of a backup's files against it. */
class BackupFolderTests {

	@TempDir
	Path folder;

	@Test
	void aManifestReadsBackAsWrittenAndItsFilesPassTheCheck() throws Exception {
		Manifest manifest = backup();
		Manifest read = Manifest.read(this.folder.resolve(Manifest.FILE_NAME));
		assertThat(read).isEqualTo(manifest);
		assertThatNoException().isThrownBy(() -> BackupFolder.check(this.folder, read, (bytes) -> {
		}));
	}

	@Test
	void refusesAFileWithOneByteChanged() throws Exception {
		Manifest manifest = backup();
		Path store = this.folder.resolve(manifest.stores().get(0).file());
		byte[] bytes = Files.readAllBytes(store);
		bytes[3] ^= 0x10;
		Files.write(store, bytes);
		assertThatExceptionOfType(BackupRefusedException.class)
			.isThrownBy(() -> BackupFolder.check(this.folder, manifest, (n) -> {
			}))
			.withMessageContaining("damaged")
			.withMessageContaining(manifest.stores().get(0).file());
	}

	@Test
	void refusesAMissingOrTruncatedFile() throws Exception {
		Manifest manifest = backup();
		Files.write(this.folder.resolve("tables/operator.jsonl"), new byte[] { 1 });
		assertThatExceptionOfType(BackupRefusedException.class)
			.isThrownBy(() -> BackupFolder.check(this.folder, manifest, (n) -> {
			}))
			.withMessageContaining("tables/operator.jsonl has 1 bytes");
		Files.delete(this.folder.resolve("tables/operator.jsonl"));
		assertThatExceptionOfType(BackupRefusedException.class)
			.isThrownBy(() -> BackupFolder.check(this.folder, manifest, (n) -> {
			}))
			.withMessageContaining("tables/operator.jsonl is missing");
	}

	@Test
	void refusesAManifestThatNamesAFileOutsideTheFolderOrAStoreWithoutChecksum() throws Exception {
		Manifest manifest = backup();
		Manifest escaping = with(manifest, List.of(new FileEntry("../outside", 1, "00")));
		assertThatExceptionOfType(BackupRefusedException.class)
			.isThrownBy(() -> BackupFolder.check(this.folder, escaping, (n) -> {
			}))
			.withMessageContaining("outside its folder");
		Manifest unlisted = with(manifest, List.of(manifest.files().get(0)));
		assertThatExceptionOfType(BackupRefusedException.class)
			.isThrownBy(() -> BackupFolder.check(this.folder, unlisted, (n) -> {
			}))
			.withMessageContaining("lists no checksum");
	}

	@Test
	void refusesAManifestThatIsNotJson() throws Exception {
		Files.writeString(this.folder.resolve(Manifest.FILE_NAME), "{ not json");
		assertThatExceptionOfType(BackupRefusedException.class)
			.isThrownBy(() -> Manifest.read(this.folder.resolve(Manifest.FILE_NAME)))
			.withMessageContaining("cannot be read");
	}

	private Manifest backup() throws Exception {
		UUID association = UUID.randomUUID();
		UUID store = UUID.randomUUID();
		Path table = this.folder.resolve("tables/operator.jsonl");
		FileEntry tableFile = BackupFolder.copy(new ByteArrayInputStream("{\"table\":\"operator\"}\n".getBytes()),
				this.folder, table, (n) -> {
				});
		FileEntry storeFile = BackupFolder.copy(new ByteArrayInputStream(new byte[] { 1, 2, 3, 4, 5, 6 }),
				this.folder, this.folder.resolve("stores/" + association + "/" + store + ".smp"), (n) -> {
				});
		assertThat(storeFile.path()).isEqualTo("stores/" + association + "/" + store + ".smp");
		assertThat(storeFile.sha256()).isEqualTo(BackupFolder.sha256(this.folder.resolve(storeFile.path())));
		Manifest manifest = new Manifest(Manifest.FORMAT, "2024-01-01T00:00:00Z", "test", "H2", "19", 3, 1, "ab",
				null, List.of(new TableEntry("operator", tableFile.path(), 0)),
				List.of(new StoreEntry(association, store, "/stores", storeFile.path(), 6)), List.of(), List.of(),
				List.of(tableFile, storeFile));
		manifest.write(this.folder);
		return manifest;
	}

	private static Manifest with(Manifest manifest, List<FileEntry> files) {
		return new Manifest(manifest.format(), manifest.createdAt(), manifest.smpVersion(), manifest.database(),
				manifest.schemaVersion(), manifest.auditHead(), manifest.keyVersion(), manifest.keyCheck(),
				manifest.keysFile(), manifest.tables(), manifest.stores(), manifest.uploadsNotIncluded(),
				manifest.leftOut(), files);
	}

}
