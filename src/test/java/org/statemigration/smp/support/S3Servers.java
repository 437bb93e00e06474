package org.statemigration.smp.support;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The S3 server of the test run, started once per test JVM on first use and stopped when the JVM exits. Which
 * server is chosen by the system property {@code smp.test.s3}: {@code s3proxy} (the default: one jar, copied into
 * {@code target/} by the build) or {@code ceph} (Ceph RGW, {@link ProcessCephRgw}, where it is installed).
 */
public final class S3Servers {

	private static S3Endpoint running;

	private S3Servers() {
	}

	/** The run's S3 server, started if it is not yet. */
	public static synchronized S3Endpoint ofTheRun() {
		if (running == null) {
			running = start(System.getProperty("smp.test.s3", "s3proxy"));
		}
		return running;
	}

	private static S3Endpoint start(String kind) {
		try {
			return switch (kind) {
				case "s3proxy" -> ProcessS3Proxy.start();
				case "ceph" -> ProcessCephRgw.start();
				default -> throw new IllegalArgumentException("smp.test.s3 is s3proxy or ceph, not " + kind);
			};
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start the S3 server " + kind, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting the S3 server " + kind, ex);
		}
	}

}
