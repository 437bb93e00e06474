package org.statemigration.smp.store.internal.upload;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.OptionalLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.ResumableSegmentedFile;
import org.statemigration.smp.store.UploadConflictException;
import org.statemigration.smp.store.blob.BlobWriter;
import org.statemigration.smp.store.internal.NodeIdentity;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.ResumableUploadRepository.Row;

import org.springframework.stereotype.Component;

/**
 * Rolls a resumable upload's offset forward over the whole segments that a request which ended before moving the
 * offset (the server died, the database or the disk failed) sealed and wrote beyond it, so that no segment index
 * is ever sealed a second time with other bytes under the same nonce. The file keeps every segment beyond the
 * offset that authenticates and loses the first one that does not (a torn write) and all after it
 * ({@link ResumableSegmentedFile#rollForward}); it is fsynced before the offset moves, and the tails go after: a
 * tail belongs to an offset inside a segment, and the new offset is at a segment boundary or the end.
 * <p>
 * The caller holds the upload's lease, so no request is writing the file meanwhile.
 */
@Component
class UploadRollForward {

	private static final Log logger = LogFactory.getLog(UploadRollForward.class);

	private final ResumableUploadRepository uploads;

	private final RunningDigests digests;

	private final NodeIdentity node;

	private final UploadBlobs blobs;

	UploadRollForward(ResumableUploadRepository uploads, RunningDigests digests, NodeIdentity node,
			UploadBlobs blobs) {
		this.uploads = uploads;
		this.digests = digests;
		this.node = node;
		this.blobs = blobs;
	}

	/**
	 * Whether the upload may need rolling forward or completing: its file holds bytes beyond the whole segments
	 * its offset counts, or every byte is in. A cheap look that takes no lease and changes nothing.
	 */
	boolean pending(Row row) throws IOException {
		try (SeekableByteChannel file = this.blobs.read(row)) {
			return file(row).holdsMoreThan(file, row.offset());
		}
		catch (NoSuchFileException ex) {
			// taken away to be committed, or left complete by a crash: the lease tells which
			return true;
		}
	}

	/**
	 * Rolls the upload forward, if its file holds sealed segments beyond its offset that authenticate. The
	 * request that holds the lease on this server keeps it.
	 * @return the offset the upload stands at now: the row's, or a segment boundary after it, or its length
	 * @throws UploadConflictException if the offset moved meanwhile (the lease was lost)
	 */
	long rollForward(Row row, DataKey key) throws IOException {
		OptionalLong rolled;
		try (BlobWriter file = this.blobs.resume(row)) {
			rolled = file(row).rollForward(file, key, row.offset(), file.readableFrom());
			if (rolled.isPresent()) {
				file.force();
			}
		}
		if (rolled.isEmpty() || rolled.getAsLong() == row.offset()) {
			return row.offset();
		}
		long to = rolled.getAsLong();
		// the running digest stands at the old offset: it is rebuilt from the file at the new one
		this.digests.forget(row.id());
		if (!this.uploads.rollForward(row.id(), row.offset(), to, this.node.id())) {
			throw new UploadConflictException("The upload was discarded or moved on meanwhile");
		}
		// the tail of the old offset is superseded: its bytes are the start of the first kept segment
		this.blobs.deleteTails(row);
		logger.info("Resumable upload " + row.id() + " rolled forward from offset " + row.offset() + " to " + to
				+ " over the sealed segments written by a request that ended before moving the offset");
		return to;
	}

	static ResumableSegmentedFile file(Row row) {
		return new ResumableSegmentedFile(row.id(), row.version(), row.length());
	}

}
