package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of files and parts of files, streamed through the JDK's provider with a fixed buffer: memory does not
 * grow with the file.
 */
final class FileDigest {

	private static final int BUFFER = 1024 * 1024;

	private FileDigest() {
	}

	/** The SHA-256 of the whole file, reporting how far it has read. */
	static byte[] sha256(Path file, Progress progress) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			return sha256(channel, 0, channel.size(), progress);
		}
	}

	/** The SHA-256 of {@code length} bytes from {@code offset}. */
	static byte[] sha256(FileChannel channel, long offset, long length, Progress progress) throws IOException {
		MessageDigest digest = newDigest();
		ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
		long position = offset;
		long end = offset + length;
		while (position < end) {
			buffer.clear().limit((int) Math.min(BUFFER, end - position));
			int read = channel.read(buffer, position);
			if (read < 0) {
				throw new IOException("The file ended at byte " + position + ", before " + end);
			}
			digest.update(buffer.array(), 0, read);
			position += read;
			if (progress != null) {
				progress.at(position);
			}
		}
		return digest.digest();
	}

	static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A stream of {@code length} bytes of the file from {@code offset}, reporting each byte it hands out as the
	 * transfer's position.
	 */
	static InputStream range(Path file, long offset, long length, Progress progress) {
		try {
			FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
			return new InputStream() {

				private long position = offset;

				private final long end = offset + length;

				@Override
				public int read() throws IOException {
					byte[] one = new byte[1];
					return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
				}

				@Override
				public int read(byte[] bytes, int off, int len) throws IOException {
					if (this.position >= this.end) {
						return -1;
					}
					int wanted = (int) Math.min(len, this.end - this.position);
					int read = channel.read(ByteBuffer.wrap(bytes, off, wanted), this.position);
					if (read < 0) {
						throw new IOException("The file ended at byte " + this.position + " while it was sent");
					}
					this.position += read;
					progress.at(this.position);
					return read;
				}

				@Override
				public void close() throws IOException {
					channel.close();
				}

			};
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
