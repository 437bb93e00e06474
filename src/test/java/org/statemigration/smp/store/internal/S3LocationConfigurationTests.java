package org.statemigration.smp.store.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.store.blob.s3.PartChecksum;
import org.statemigration.smp.store.internal.StorageFolders.Folder;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * S3 storage locations as configured: checked at start with messages that say what is wrong, recorded as
 * {@code s3://bucket/prefix}, beside folders whose locations stay as they were, and never showing the secret.
 */
class S3LocationConfigurationTests {

	private static final String SECRET = "very-secret-key-value";

	@TempDir
	Path dataDir;

	private StorageFolders folders(StoreProperties.Folder... folders) {
		return new StorageFolders(new StoreProperties(new StoreProperties.Storage(List.of(folders),
				DataSize.ofMegabytes(256), Duration.ofMinutes(1)), this.dataDir));
	}

	private static StoreProperties.S3 s3(String keyId, String secret) {
		return new StoreProperties.S3(URI.create("http://127.0.0.1:9000"), "eu-west-1", true, PartChecksum.MD5, keyId,
				secret, 8);
	}

	@Test
	void anS3LocationIsRecordedNormalizedBesideAFolder() {
		StorageFolders folders = folders(new StoreProperties.Folder(this.dataDir.resolve("a/../stores"), 10, "1GB"),
				new StoreProperties.Folder("s3://smp-bucket/eu/stores/", 20, "1GB", DataSize.parse("20TB"),
						s3("id", SECRET)));
		Folder folder = folders.all().get(0);
		assertThat(folder.location()).isEqualTo(this.dataDir.resolve("stores").toAbsolutePath().toString());
		assertThat(folder.isS3()).isFalse();
		Folder bucket = folders.all().get(1);
		assertThat(bucket.location()).isEqualTo("s3://smp-bucket/eu/stores");
		assertThat(bucket.isS3()).isTrue();
		assertThat(bucket.s3().bucket()).isEqualTo("smp-bucket");
		assertThat(bucket.s3().prefix()).isEqualTo("eu/stores");
		assertThat(bucket.s3().capacityBytes()).isEqualTo(DataSize.parse("20TB").toBytes());
		assertThat(bucket.s3().partSegments()).isEqualTo(8);
		assertThat(bucket.minFreeSpace()).isNull();
		assertThat(folders.find("s3://smp-bucket/eu/stores")).contains(bucket);
		assertThat(bucket.toString()).doesNotContain(SECRET);
		assertThat(s3("id", SECRET).toString()).doesNotContain(SECRET).contains("******");
	}

	@Test
	void anS3LocationWithoutACapacityIsRefusedWithWhy() {
		assertThatThrownBy(() -> folders(new StoreProperties.Folder("s3://smp-bucket/x", 20, "1GB", null, null)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("s3://smp-bucket/x")
			.hasMessageContaining("needs a capacity");
	}

	@Test
	void malformedLocationsAndHalfCredentialsAreRefusedWithoutTheSecret() {
		for (String location : List.of("s3://", "s3://Bad_Bucket/x", "s3://bucket:9000/x", "s3://bucket/a//b",
				"s3://user@bucket/x")) {
			assertThatThrownBy(() -> folders(new StoreProperties.Folder(location, 20, "1GB", DataSize.parse("1GB"),
					null))).as(location).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(location);
		}
		assertThatThrownBy(() -> folders(new StoreProperties.Folder("s3://smp-bucket", 20, "1GB", DataSize.parse("1GB"),
				s3(null, SECRET)))).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("both s3.access-key-id and s3.secret-access-key")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(SECRET));
		assertThatThrownBy(() -> folders(new StoreProperties.Folder("s3://smp-bucket", 20, "1GB", DataSize.parse("1GB"),
				new StoreProperties.S3(URI.create("ftp://host"), "us-east-1", false, PartChecksum.MD5, null, null, 8))))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("invalid s3.endpoint");
	}

	@Test
	void aLocationNamedTwiceIsRefused() {
		assertThatThrownBy(() -> folders(
				new StoreProperties.Folder("s3://smp-bucket/x/", 20, "1GB", DataSize.parse("1GB"), null),
				new StoreProperties.Folder("s3://smp-bucket/x", 20, "1GB", DataSize.parse("1GB"), null)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("more than once");
	}

}
