package org.statemigration.smp.store;

import java.io.IOException;

/**
 * The body of a chunk broke off (the client went away, or stopped sending until the read timed out). What arrived
 * before is kept: the upload now stands at {@link #upload()}'s offset.
 */
public class ChunkInterruptedException extends IOException {

	private final transient ResumableUpload upload;

	public ChunkInterruptedException(ResumableUpload upload, IOException cause) {
		super("The chunk broke off at offset " + upload.offset() + "; what arrived is kept", cause);
		this.upload = upload;
	}

	public ResumableUpload upload() {
		return this.upload;
	}

}
