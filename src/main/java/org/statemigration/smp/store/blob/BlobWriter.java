package org.statemigration.smp.store.blob;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/**
 * A blob being written: a channel over its ciphertext, which may also be read back and cut while it is unfinished
 * (a resumable upload that rolls forward). Until {@link #commit} the blob is not found under its key as a committed
 * blob, and nothing written is durable before {@link #force} or {@link #commit} returns.
 * <p>
 * Closing the writer without committing or aborting leaves the unfinished blob as it stands, for
 * {@link BlobStore#resume} to go on with. Not thread-safe, but the store may make written bytes durable in the
 * background while more are written.
 */
public interface BlobWriter extends SeekableByteChannel {

	/**
	 * Where the unfinished blob can be read back, written and cut from: 0 for a folder, where every byte can; on an
	 * S3 location, the end of the last part sent, since a part of an unfinished multipart upload cannot be read
	 * back (its first bytes, the header, still can). The bytes before it are durable and are never cut.
	 */
	default long readableFrom() {
		return 0;
	}

	/**
	 * Makes every byte written so far durable, and the unfinished blob itself with them: after this returns, a
	 * crash of the process or of the machine loses none of it. Local folder: the file is fsynced, and the first
	 * time, the folder that names it.
	 */
	void force() throws IOException;

	/**
	 * Makes the blob durable and visible under its key as a committed blob, whole and at once, then closes the
	 * writer. After this returns the committed blob survives a crash; before it, a crash leaves at most the
	 * unfinished blob. Local folder: the file is fsynced unless nothing was written since {@link #force}, renamed
	 * from {@code <id>.part} to {@code <id>.smp}, and the folder fsynced.
	 */
	void commit() throws IOException;

	/**
	 * Throws the unfinished blob away and closes the writer. Not durable: after a crash the unfinished blob may be
	 * there again, for the reconciliation to remove.
	 */
	void abort() throws IOException;

}
