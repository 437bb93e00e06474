package org.statemigration.smp.backup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

import org.statemigration.smp.backup.internal.Manifest.FileEntry;

/**
 * The files of a backup's folder: written durably (fsync, then renamed into place), hashed with SHA-256 as they are
 * written, and checked against a manifest.
 */
final class BackupFolder {

	private static final int BUFFER = 1 << 20;

	private BackupFolder() {
	}

	/** A file's path relative to the folder, with '/' between names whatever the platform. */
	static String relative(Path folder, Path file) {
		return folder.relativize(file).toString().replace(java.io.File.separatorChar, '/');
	}

	/**
	 * Copies a stream into a new file, durably, and returns its entry; {@code progress} hears of each chunk
	 * copied.
	 */
	static FileEntry copy(InputStream in, Path folder, Path target, LongConsumer progress) throws IOException {
		Files.createDirectories(target.getParent());
		Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
		MessageDigest digest = sha256();
		long size = 0;
		try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temporary), digest)) {
			byte[] buffer = new byte[BUFFER];
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				out.write(buffer, 0, n);
				size += n;
				progress.accept(n);
			}
		}
		sync(temporary);
		moveDurably(temporary, target);
		return new FileEntry(relative(folder, target), size, HexFormat.of().formatHex(digest.digest()));
	}

	/** The entry of a file already in the folder. */
	static FileEntry entry(Path folder, Path file) throws IOException {
		return new FileEntry(relative(folder, file), Files.size(file), sha256(file));
	}

	static String sha256(Path file) throws IOException {
		MessageDigest digest = sha256();
		try (InputStream in = Files.newInputStream(file)) {
			byte[] buffer = new byte[BUFFER];
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				digest.update(buffer, 0, n);
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	static void sync(Path file) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.force(true);
		}
	}

	static void moveDurably(Path source, Path target) throws IOException {
		try {
			Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
		}
		try (FileChannel directory = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
			directory.force(true);
		}
		catch (IOException ex) {
			// some file systems cannot sync a directory; the file itself was synced
		}
	}

	/**
	 * Checks every file the manifest lists: that it is there, of its size and SHA-256, and that the tables, the
	 * versions and the keys the manifest names are among them.
	 * @param progress hears of the bytes read
	 * @throws BackupRefusedException naming the first file that is missing or differs
	 */
	static void check(Path folder, Manifest manifest, LongConsumer progress) throws IOException {
		Set<String> listed = new HashSet<>();
		for (FileEntry file : manifest.files()) {
			Path path = resolveInside(folder, file.path());
			listed.add(file.path());
			long size;
			try {
				size = Files.size(path);
			}
			catch (NoSuchFileException ex) {
				throw new BackupRefusedException("The backup is incomplete: " + file.path() + " is missing");
			}
			if (size != file.size()) {
				throw new BackupRefusedException("The backup is damaged: " + file.path() + " has " + size
						+ " bytes, the manifest says " + file.size());
			}
			if (!sha256(path).equals(file.sha256())) {
				throw new BackupRefusedException(
						"The backup is damaged: " + file.path() + " does not match its SHA-256 in the manifest");
			}
			progress.accept(size);
		}
		List<String> named = new java.util.ArrayList<>();
		manifest.tables().forEach((table) -> named.add(table.file()));
		manifest.stores().forEach((store) -> named.add(store.file()));
		if (manifest.keysFile() != null) {
			named.add(manifest.keysFile());
		}
		for (String name : named) {
			if (!listed.contains(name)) {
				throw new BackupRefusedException("The backup's manifest names " + name + " but lists no checksum for it");
			}
		}
	}

	/** A path of the manifest inside the folder; one that would lead out of it is refused. */
	static Path resolveInside(Path folder, String relative) {
		Path path = folder.resolve(relative).normalize();
		if (!path.startsWith(folder.normalize()) || relative.contains("\\")) {
			throw new BackupRefusedException("The backup's manifest names a file outside its folder: " + relative);
		}
		return path;
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
