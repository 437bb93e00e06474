package org.statemigration.smp.store.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.statemigration.smp.store.blob.s3.PartChecksum;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where state stores live ({@code smp.storage.*}). The quota and the upload expiry are runtime settings.
 * @param dataDir {@code smp.data-dir}: its volume holds the embedded database, so uploads leave room on it
 */
@ConfigurationProperties("smp")
@Validated
public record StoreProperties(@Valid @NotNull Storage storage, @DefaultValue("./data") @NotNull Path dataDir) {

	/**
	 * @param folders the storage locations, each a local folder or an S3 bucket ({@code s3://bucket/prefix}); the
	 * name stays {@code folders} so that existing configurations keep working
	 * @param databaseReserve room left free on the data directory's volume whatever a folder's minimum free space
	 * says, when a storage folder shares that volume: the embedded database closes when it cannot write
	 * @param reconcileInterval how often each server releases what failed requests left behind (reservations,
	 * unfinished uploads, upload leases) and records that it is alive
	 * @param s3 what all S3 locations of the server share: the memory of their part buffers
	 */
	public record Storage(@NotEmpty List<@Valid Folder> folders, @DefaultValue("256MB") @NotNull DataSize databaseReserve,
			@DefaultValue("PT1M") @NotNull Duration reconcileInterval, @Valid @DefaultValue S3Transfers s3) {

		@ConstructorBinding
		public Storage {
		}

		/** Storage without S3 settings of its own: the defaults. */
		public Storage(List<Folder> folders, DataSize databaseReserve, Duration reconcileInterval) {
			this(folders, databaseReserve, reconcileInterval, new S3Transfers(null, Duration.ofSeconds(30)));
		}

	}

	/**
	 * A storage location. A folder's {@code minFreeSpace} is {@code NNMB}, {@code NNGB} or {@code NN%} of the file
	 * system. An S3 location ({@code s3://bucket/prefix}) has no free space to measure: its {@code capacity} is the
	 * budget of bytes the server stores there, and its {@code s3} block says how to reach the bucket.
	 */
	public record Folder(@NotBlank String location, @DefaultValue("100") @Positive int maxClients,
			@DefaultValue("1GB") @NotNull String minFreeSpace, DataSize capacity, @Valid S3 s3) {

		@ConstructorBinding
		public Folder {
		}

		/** A local folder. */
		public Folder(Path location, int maxClients, String minFreeSpace) {
			this(location.toString(), maxClients, minFreeSpace, null, null);
		}

	}

	/**
	 * How to reach an S3 location's bucket.
	 * @param endpoint the S3 endpoint, for an S3-compatible server; none for AWS itself
	 * @param pathStyle whether the bucket is named in the path rather than in the host name
	 * @param partChecksum how each part is checked by the server: {@code md5} (Content-MD5, checked by AWS, Ceph
	 * and s3proxy), {@code sha256} (x-amz-checksum-sha256, which Ceph 16 does not accept) or {@code none}
	 * @param accessKeyId with {@code secretAccessKey}, the credentials; without, the SDK's default chain
	 * (environment, profile, instance role)
	 * @param partSize the size of each part of a blob in whole MiB, that many sealed segments: 5 to 512
	 */
	public record S3(URI endpoint, @DefaultValue("us-east-1") @NotBlank String region,
			@DefaultValue("false") boolean pathStyle, @DefaultValue("md5") @NotNull PartChecksum partChecksum,
			String accessKeyId, String secretAccessKey, @DefaultValue("8") @Min(5) @Max(512) int partSize) {

		@Override
		public String toString() {
			// the secret must never reach a log or an error message
			return "S3[endpoint=" + this.endpoint + ", region=" + this.region + ", pathStyle=" + this.pathStyle
					+ ", partChecksum=" + this.partChecksum + ", accessKeyId=" + this.accessKeyId
					+ ", secretAccessKey=" + ((this.secretAccessKey != null) ? "******" : null) + ", partSize="
					+ this.partSize + "]";
		}

	}

	/**
	 * What the S3 locations share.
	 * @param bufferMemory the memory of all part buffers of S3 uploads together (each upload holds one or two
	 * parts); none derives it from the heap, a quarter of it
	 * @param bufferWait how long an upload waits for a part buffer before it is refused
	 */
	public record S3Transfers(DataSize bufferMemory, @DefaultValue("30s") @NotNull Duration bufferWait) {
	}

}
