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
	 * @param sweep the sweep of what no row names from the S3 locations
	 */
	public record Storage(@NotEmpty List<@Valid Folder> folders, @DefaultValue("256MB") @NotNull DataSize databaseReserve,
			@DefaultValue("PT1M") @NotNull Duration reconcileInterval, @Valid @DefaultValue S3Transfers s3,
			@Valid @DefaultValue Sweep sweep) {

		@ConstructorBinding
		public Storage {
		}

		/** Storage without S3 settings of its own: the defaults. */
		public Storage(List<Folder> folders, DataSize databaseReserve, Duration reconcileInterval) {
			this(folders, databaseReserve, reconcileInterval, new S3Transfers(null, Duration.ofSeconds(30)),
					Sweep.DEFAULTS);
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

	/**
	 * The sweep of S3 locations ({@code smp.storage.sweep.*}): unfinished uploads and objects that no live version
	 * names, left by crashes and failed deletions, are removed by one server of a cluster at a time.
	 * @param interval how often each server tries to sweep; while one sweeps, the others skip their turn
	 * @param minAge how old an upload or object must be before it may be removed: a margin over the moment its
	 * version's row becomes visible (written before any byte, so only clocks apart and transactions still open
	 * count), at least {@value #MIN_AGE_FLOOR_HOURS} hour
	 * @param lockAtMostFor how long the lock of a sweep holds without being renewed: a running sweep renews it,
	 * and when its server dies another may sweep this long after; at least five minutes
	 * @param lockAtLeastFor how long the lock stays taken after a sweep that ended sooner, so that servers whose
	 * turns fall close together do not sweep again right away; at most {@code lockAtMostFor}
	 */
	public record Sweep(@DefaultValue("PT1H") @NotNull Duration interval, @DefaultValue("PT6H") @NotNull Duration minAge,
			@DefaultValue("PT15M") @NotNull Duration lockAtMostFor,
			@DefaultValue("PT5M") @NotNull Duration lockAtLeastFor) {

		static final int MIN_AGE_FLOOR_HOURS = 1;

		/** The defaults, for storage configured in code. */
		public static final Sweep DEFAULTS = new Sweep(Duration.ofHours(1), Duration.ofHours(6), Duration.ofMinutes(15),
				Duration.ofMinutes(5));

		public Sweep {
			if (interval != null && (interval.isNegative() || interval.isZero())) {
				throw new IllegalArgumentException("smp.storage.sweep.interval must be positive, not " + interval);
			}
			if (minAge != null && minAge.compareTo(Duration.ofHours(MIN_AGE_FLOOR_HOURS)) < 0) {
				throw new IllegalArgumentException("smp.storage.sweep.min-age must be at least PT"
						+ MIN_AGE_FLOOR_HOURS + "H, not " + minAge
						+ ": a younger upload may belong to a version whose row is not visible yet");
			}
			if (lockAtMostFor != null && lockAtMostFor.compareTo(Duration.ofMinutes(5)) < 0) {
				throw new IllegalArgumentException(
						"smp.storage.sweep.lock-at-most-for must be at least PT5M, not " + lockAtMostFor);
			}
			if (lockAtLeastFor != null && lockAtMostFor != null
					&& (lockAtLeastFor.isNegative() || lockAtLeastFor.compareTo(lockAtMostFor) > 0)) {
				throw new IllegalArgumentException("smp.storage.sweep.lock-at-least-for must be between 0 and "
						+ "lock-at-most-for, not " + lockAtLeastFor);
			}
		}

	}

}
