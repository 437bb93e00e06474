package org.statemigration.smp.support.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.statemigration.smp.support.S3Endpoint;
import org.statemigration.smp.support.S3Servers;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Where the nodes of a {@link Cluster} keep their blobs, all of them the same: the one place that says how the nodes
 * are configured for it and how a test lists what is stored there. Either a bucket that every node reaches (the
 * default) or a storage folder that every node reaches at the same path (the nodes run on one machine); the system
 * property {@code smp.test.cluster.storage} ({@code s3} or {@code folder}) chooses, see {@link #ofTheRun(Path)}.
 */
public interface SharedStorage {

	/** The system property that chooses the storage of the cluster tests. */
	String PROPERTY = "smp.test.cluster.storage";

	/** The arguments that point a node at this storage. */
	List<String> nodeArguments();

	/** The environment variables that the configuration these arguments load reads; none by default. */
	default Map<String, String> nodeEnvironment() {
		return Map.of();
	}

	/**
	 * Everything stored, named {@code <association id>/<name>} as the storage names it: {@code <store id>.smp} for
	 * a committed blob, and for the rest {@code .part}, {@code .spool}, {@code -<offset>.tail} in a folder, and
	 * {@code -<name>} (a small object) or {@code <store id>.smp (unfinished multipart upload)} in a bucket.
	 */
	List<String> objects();

	/** Whether this is a bucket (and not a folder). */
	boolean isS3();

	/**
	 * The storage the system property {@code smp.test.cluster.storage} names: {@code s3} (the default), a fresh
	 * bucket on the run's S3 server ({@link S3Servers#ofTheRun()}, s3proxy or Ceph RGW by {@code smp.test.s3}), or
	 * {@code folder}, a folder under {@code directory}.
	 */
	static SharedStorage ofTheRun(Path directory) throws IOException {
		String kind = System.getProperty(PROPERTY, "s3");
		return switch (kind) {
			case "s3" -> s3(S3Servers.ofTheRun(), "stores");
			case "folder" -> folder(Files.createDirectories(directory).resolve("stores"));
			default -> throw new IllegalArgumentException(PROPERTY + " is s3 or folder, not " + kind);
		};
	}

	/** One storage folder at {@code location}, shared by every node. */
	static SharedStorage folder(Path location) {
		return new Folder(location);
	}

	/** A fresh bucket of the S3 server, every node's location {@code s3://<bucket>/<prefix>}. */
	static SharedStorage s3(S3Endpoint server, String prefix) {
		return new Bucket(server, server.newBucket("cluster"), prefix);
	}

	/** A folder on a file system that every node mounts at the same path. */
	record Folder(Path location) implements SharedStorage {

		@Override
		public List<String> nodeArguments() {
			return List.of("--smp.storage.folders[0].location=" + this.location.toAbsolutePath(),
					"--smp.storage.folders[0].min-free-space=0MB", "--smp.storage.folders[0].max-clients=1000");
		}

		@Override
		public List<String> objects() {
			if (Files.notExists(this.location)) {
				return List.of();
			}
			try (Stream<Path> files = Files.walk(this.location)) {
				// the health check's probe file comes and goes every few seconds in the folder itself
				return files.filter(Files::isRegularFile)
					.map((file) -> this.location.relativize(file).toString().replace('\\', '/'))
					.filter((name) -> !name.startsWith(".health-"))
					.sorted()
					.toList();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public boolean isS3() {
			return false;
		}

	}

	/**
	 * A bucket of an S3 server that every node reaches, configured on every node as the same location
	 * ({@code s3://<bucket>/<prefix>}, path-style addressing, the server's test credentials) by the file operators
	 * install, {@link #CONFIGURATION}, with its values in the node's environment as an installation sets them.
	 */
	record Bucket(S3Endpoint server, String bucket, String prefix) implements SharedStorage {

		/** The S3 location of a cluster's nodes, as shipped. */
		public static final Path CONFIGURATION = Path.of("deploy/s3-location.yml");

		/** What {@link #objects()} appends to the key of a multipart upload that is neither completed nor aborted. */
		public static final String UNFINISHED = " (unfinished multipart upload)";

		@Override
		public List<String> nodeArguments() {
			return List.of("--spring.config.additional-location=file:" + CONFIGURATION.toAbsolutePath());
		}

		@Override
		public Map<String, String> nodeEnvironment() {
			return Map.of("SMP_S3_BUCKET", this.bucket, "SMP_S3_PREFIX", this.prefix, "SMP_S3_CAPACITY", "2GB",
					"SMP_S3_ENDPOINT", this.server.endpoint().toString(), "SMP_S3_REGION", this.server.region(),
					"SMP_S3_PATH_STYLE", "true", "SMP_S3_ACCESS_KEY_ID", this.server.accessKeyId(),
					"SMP_S3_SECRET_ACCESS_KEY", this.server.secretAccessKey());
		}

		/** The objects under the prefix, then the unfinished multipart uploads, both relative to the prefix. */
		@Override
		public List<String> objects() {
			List<String> objects = new ArrayList<>();
			String root = this.prefix + "/";
			for (S3Object object : this.server.client()
				.listObjectsV2Paginator((list) -> list.bucket(this.bucket).prefix(root))
				.contents()) {
				objects.add(object.key().substring(root.length()));
			}
			for (MultipartUpload upload : unfinishedUploads()) {
				objects.add(upload.key().substring(root.length()) + UNFINISHED);
			}
			return objects.stream().sorted().toList();
		}

		/** The multipart uploads under the prefix that are neither completed nor aborted (ListMultipartUploads). */
		public List<MultipartUpload> unfinishedUploads() {
			return this.server.client()
				.listMultipartUploadsPaginator((list) -> list.bucket(this.bucket).prefix(this.prefix + "/"))
				.uploads()
				.stream()
				.toList();
		}

		/** Whether an unfinished multipart upload has at least one part stored (ListParts). */
		public boolean hasParts(MultipartUpload upload) {
			return !this.server.client()
				.listParts((list) -> list.bucket(this.bucket).key(upload.key()).uploadId(upload.uploadId()))
				.parts()
				.isEmpty();
		}

		@Override
		public boolean isS3() {
			return true;
		}

	}

}
