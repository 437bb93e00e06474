package org.statemigration.smp.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A small file system of its own (tmpfs) for tests that need a disk that fills up, without depending on what
 * else uses the machine's disk. Mounting needs root: elsewhere the test is skipped with a warning, except on CI
 * ({@code CI=true}), where it fails.
 */
public final class SmallFileSystem implements AutoCloseable {

	private final Path mountPoint;

	private SmallFileSystem(Path mountPoint) {
		this.mountPoint = mountPoint;
	}

	public static SmallFileSystem mount(Path mountPoint, int megabytes) throws IOException, InterruptedException {
		Files.createDirectories(mountPoint);
		int status = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", mountPoint.toString());
		if (status != 0) {
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new IllegalStateException("Cannot mount a tmpfs at " + mountPoint + " (CI runs these tests as root)");
			}
			System.err.println("WARNING: cannot mount a tmpfs (not root?): test SKIPPED");
			Assumptions.abort("mounting a tmpfs needs root");
		}
		return new SmallFileSystem(mountPoint);
	}

	public Path path() {
		return this.mountPoint;
	}

	@Override
	public void close() throws IOException, InterruptedException {
		run("umount", "-l", this.mountPoint.toString());
	}

	private static int run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return -1;
		}
		return process.exitValue();
	}

}
