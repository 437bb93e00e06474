package org.statemigration.smp.store.blob;

/**
 * An object found in a blob store: a version's blob, unfinished or committed, one of its small objects, or its
 * scratch.
 * @param name the small object's name; null for the others
 * @param size its size in bytes
 * @param location where it lies, for people to read: a file's path
 */
public record StoredObject(BlobKey key, Kind kind, String name, long size, String location) {

	/** Whether this is a blob committed under its key. */
	public boolean committed() {
		return this.kind == Kind.BLOB;
	}

	/** What an object is to its version. */
	public enum Kind {

		/** The blob, committed under its key. */
		BLOB,

		/** The blob while it is written. */
		UNFINISHED_BLOB,

		/** A small object of the version, or one being replaced. */
		SMALL,

		/** The version's scratch. */
		SCRATCH

	}

}
