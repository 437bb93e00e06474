package org.statemigration.smp.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * Measures the stream format with 1 MiB segments: encrypts 1 GiB into a channel that discards it, then
 * encrypts 1 GiB into a file and decrypts it into nothing. Not a test, so that the build stays fast; run it by
 * hand after {@code mvn test-compile}:
 * <pre>
 * java -cp target/classes:target/test-classes org.statemigration.smp.crypto.StreamFormatThroughput [dir]
 * </pre>
 * The file goes to {@code dir}, by default {@code /dev/shm} where it exists (memory, so that the disk is not
 * what is measured), else the temporary directory.
 * <p>
 * The warm-up pass is long on purpose: HotSpot uses the AES-GCM intrinsics only once their callers are compiled
 * by C2, which takes some thousand calls; with one call per 1 MiB segment that is the first gibibyte or so
 * after start, which runs at about a twentieth of the final speed.
 */
public final class StreamFormatThroughput {

	private static final long GIB = 1L << 30;

	private static final int CHUNK = 1 << 20;

	private StreamFormatThroughput() {
	}

	public static void main(String[] args) throws IOException {
		Path dir = (args.length > 0) ? Paths.get(args[0])
				: Files.isDirectory(Paths.get("/dev/shm")) ? Paths.get("/dev/shm")
						: Paths.get(System.getProperty("java.io.tmpdir"));
		byte[] chunk = new byte[CHUNK];
		new Random(1).nextBytes(chunk);
		try (DataKey key = DataKey.generate()) {
			encryptToNothing(key, chunk, 2 * GIB, "warm-up");
			for (int run = 1; run <= 3; run++) {
				encryptToNothing(key, chunk, GIB, "run " + run);
			}
			Path file = Files.createTempFile(dir, "smp-throughput", ".bin");
			try {
				encryptToFile(key, chunk, file);
				for (int run = 1; run <= 3; run++) {
					decryptToNothing(key, file, run);
				}
			}
			finally {
				Files.delete(file);
			}
		}
	}

	private static void encryptToNothing(DataKey key, byte[] chunk, long bytes, String label) throws IOException {
		long start = System.nanoTime();
		try (SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream.start(new NullChannel(), key, 1,
				Ciphertexts.ASSOCIATED_DATA)) {
			for (long written = 0; written < bytes; written += chunk.length) {
				out.write(chunk);
			}
		}
		report("encrypt to nothing, " + label, bytes, start);
	}

	private static void encryptToFile(DataKey key, byte[] chunk, Path file) throws IOException {
		long start = System.nanoTime();
		try (SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream
			.start(FileChannel.open(file, StandardOpenOption.WRITE), key, 1, Ciphertexts.ASSOCIATED_DATA)) {
			for (long written = 0; written < GIB; written += chunk.length) {
				out.write(chunk);
			}
		}
		report("encrypt to " + file.getParent() + " (no fsync)", GIB, start);
	}

	private static void decryptToNothing(DataKey key, Path file, int run) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		long start = System.nanoTime();
		long read = 0;
		try (FileChannel channel = FileChannel.open(file);
				InputStream in = SegmentedDecryptingReader.of(channel, key, Ciphertexts.ASSOCIATED_DATA).open()) {
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				read += n;
			}
		}
		if (read != GIB) {
			throw new IllegalStateException("Decrypted " + read + " bytes instead of " + GIB);
		}
		report("decrypt from " + file.getParent() + ", run " + run, read, start);
	}

	private static void report(String what, long bytes, long start) {
		double seconds = (System.nanoTime() - start) / 1e9;
		System.out.printf("%-45s %6d MiB in %5.2f s: %6.0f MB/s%n", what, bytes >> 20, seconds, bytes / 1e6 / seconds);
	}

	/** Discards everything, like /dev/null, without a system call. */
	private static final class NullChannel implements WritableByteChannel {

		@Override
		public int write(ByteBuffer source) {
			int n = source.remaining();
			source.position(source.limit());
			return n;
		}

		@Override
		public boolean isOpen() {
			return true;
		}

		@Override
		public void close() {
		}

	}

}
