package org.statemigration.smp.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads and writes files from and to heap buffers a slice at a time. The JDK moves a heap buffer's bytes to and from
 * a file through a direct buffer as large as the call, and keeps that buffer for the thread until it ends: a 1 MiB
 * segment written by each of Tomcat's hundreds of request threads leaves a megabyte of native memory behind on each
 * of them, outside the heap and its bounds, until the JVM's limit on direct memory (the size of the heap by default)
 * is reached and an allocation fails. In slices of {@value #SLICE} bytes, a thread keeps at most that much, at no
 * measurable cost in system calls.
 */
public final class FileChannelSlices {

	/** The most bytes one call moves, and so the most direct memory the JDK keeps for a thread. */
	public static final int SLICE = 64 * 1024;

	private FileChannelSlices() {
	}

	/**
	 * Writes all that remains of the source at the channel's position, a slice at a time.
	 * @return the bytes written, all that remained
	 */
	public static int write(FileChannel channel, ByteBuffer source) throws IOException {
		int written = 0;
		int limit = source.limit();
		try {
			while (source.position() < limit) {
				source.limit(Math.min(limit, source.position() + SLICE));
				written += channel.write(source);
			}
		}
		finally {
			source.limit(limit);
		}
		return written;
	}

	/**
	 * Reads at most one slice into the destination at the channel's position, as {@link FileChannel#read(ByteBuffer)}
	 * does.
	 * @return the bytes read, or -1 at the end of the file
	 */
	public static int read(FileChannel channel, ByteBuffer destination) throws IOException {
		int limit = destination.limit();
		destination.limit(Math.min(limit, destination.position() + SLICE));
		try {
			return channel.read(destination);
		}
		finally {
			destination.limit(limit);
		}
	}

	/**
	 * Reads at most one slice into the destination from the given position of the file, as
	 * {@link FileChannel#read(ByteBuffer, long)} does.
	 * @return the bytes read, or -1 if the position is at or past the end of the file
	 */
	public static int read(FileChannel channel, ByteBuffer destination, long position) throws IOException {
		int limit = destination.limit();
		destination.limit(Math.min(limit, destination.position() + SLICE));
		try {
			return channel.read(destination, position);
		}
		finally {
			destination.limit(limit);
		}
	}

}
