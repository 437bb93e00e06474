package org.statemigration.smp.store.blob.s3;

import java.util.List;
import java.util.Optional;

import org.statemigration.smp.store.blob.BlobKey;

/**
 * Where an S3 location records what any server needs to go on with an unfinished blob of a resumable upload: the
 * multipart upload's id, the blob's first bytes (its header, which lies in part 1 and cannot be read back once
 * that part is sent), and its parts. A part is recorded {@link Part.Status#INTENDED} with its size and MD5 before
 * it is sent and {@link Part.Status#DONE} once S3 answered; what a server that died left
 * {@link Part.Status#INTENDED} is settled by the next one from what S3 lists. Kept in the database, beside the
 * upload's row, and gone with it.
 */
public interface PartLedger {

	/** Records the multipart upload of a new unfinished blob. */
	void start(BlobKey key, String uploadId);

	/** The blob's multipart upload, if one is recorded. */
	Optional<Upload> find(BlobKey key);

	/** Records the blob's first bytes, once. */
	void head(BlobKey key, byte[] head);

	/** Records that a part is about to be sent, replacing any record of that part number. */
	void intend(BlobKey key, Part part);

	/**
	 * Records that S3 stored the part whole.
	 * @return false if the part is no longer recorded as intended with that MD5 (another server settled it)
	 */
	boolean done(BlobKey key, int number, String md5);

	/** Forgets a part that was never stored whole. */
	void drop(BlobKey key, int number);

	/**
	 * A recorded multipart upload.
	 * @param head the blob's first bytes, or null before they are written
	 * @param parts its parts, in order of their numbers
	 */
	record Upload(String uploadId, byte[] head, List<Part> parts) {
	}

	/**
	 * A part of a multipart upload.
	 * @param md5 the MD5 of its bytes, hex: what S3 answers as its ETag
	 */
	record Part(int number, long size, String md5, Status status) {

		/** Where a part stands. */
		public enum Status {

			/** About to be sent, or sent by a server that died before it heard the answer. */
			INTENDED,

			/** Stored whole: S3 answered. */
			DONE

		}

	}

}
