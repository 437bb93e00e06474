package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Files only their owner can read: the identity folder (0700) and its files (0600). The permissions are given
 * when a file is created, never afterwards, so that there is no moment when others could open it. On Windows the
 * same is done with an access-control list that grants the owner alone.
 */
final class PrivateFiles {

	private static final Set<PosixFilePermission> OWNER_FOLDER = PosixFilePermissions.fromString("rwx------");

	private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

	private PrivateFiles() {
	}

	/** Creates the folder (and its parents) for the owner alone; tightens an existing one on POSIX systems. */
	static void folder(Path folder) throws IOException {
		if (Files.isDirectory(folder)) {
			if (posix(folder.getFileSystem())) {
				Files.setPosixFilePermissions(folder, OWNER_FOLDER);
			}
			return;
		}
		Path parent = folder.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		Files.createDirectory(folder, ownerOnly(folder, OWNER_FOLDER));
	}

	/** Creates an empty file for the owner alone. */
	static void create(Path file) throws IOException {
		Files.createFile(file, ownerOnly(file, OWNER_FILE));
	}

	/**
	 * Writes the text to the file through a new owner-only temporary file next to it, forced to disk and renamed
	 * into place, so a crash leaves the old file or the new one.
	 */
	static void write(Path file, String text) throws IOException {
		Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
		Files.deleteIfExists(temporary);
		try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE), ownerOnly(temporary, OWNER_FILE))) {
			ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
			while (bytes.hasRemaining()) {
				channel.write(bytes);
			}
			channel.force(true);
		}
		Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static FileAttribute<?> ownerOnly(Path path, Set<PosixFilePermission> permissions) throws IOException {
		FileSystem fileSystem = path.getFileSystem();
		if (posix(fileSystem)) {
			return PosixFilePermissions.asFileAttribute(permissions);
		}
		UserPrincipal owner = fileSystem.getUserPrincipalLookupService()
			.lookupPrincipalByName(System.getProperty("user.name"));
		AclEntry entry = AclEntry.newBuilder()
			.setType(AclEntryType.ALLOW)
			.setPrincipal(owner)
			.setPermissions(EnumSet.allOf(AclEntryPermission.class))
			.build();
		return new FileAttribute<List<AclEntry>>() {
			@Override
			public String name() {
				return "acl:acl";
			}

			@Override
			public List<AclEntry> value() {
				return List.of(entry);
			}
		};
	}

	private static boolean posix(FileSystem fileSystem) {
		return fileSystem.supportedFileAttributeViews().contains("posix");
	}

}
