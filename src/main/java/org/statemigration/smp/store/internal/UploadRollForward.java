package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.SegmentedPrefixReader;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.crypto.SegmentedStreamHeader;
import org.statemigration.smp.store.UploadConflictException;
import org.statemigration.smp.store.internal.ResumableUploadRepository.Row;

import org.springframework.stereotype.Component;

/**
 * Rolls a resumable upload's offset forward over the whole segments that a request which ended before moving the
 * offset (the server died, the database or the disk failed) sealed and wrote beyond it, so that no segment index
 * is ever sealed a second time with other bytes under the same nonce. The segments beyond the offset are read in
 * order and authenticated under the upload's data key: every one that authenticates is kept, the first one that
 * does not (a torn write) and all after it are cut off. The file is fsynced before the offset moves, and the tails
 * go after: a tail belongs to an offset inside a segment, and the new offset is at a segment boundary or the end.
 * <p>
 * The caller holds the upload's lease, so no request is writing the file meanwhile.
 */
@Component
public class UploadRollForward {

	private static final Log logger = LogFactory.getLog(UploadRollForward.class);

	private final ResumableUploadRepository uploads;

	private final RunningDigests digests;

	public UploadRollForward(ResumableUploadRepository uploads, RunningDigests digests) {
		this.uploads = uploads;
		this.digests = digests;
	}

	/**
	 * Whether the upload may need rolling forward or completing: its file holds bytes beyond the whole segments
	 * its offset counts, or every byte is in. A cheap look that takes no lease and changes nothing.
	 */
	public boolean pending(Row row) throws IOException {
		if (row.offset() == row.length()) {
			return row.length() > 0;
		}
		Path part = UploadFiles.part(row.directory(), row.id());
		try (FileChannel channel = FileChannel.open(part, StandardOpenOption.READ)) {
			ByteBuffer bytes = ByteBuffer.allocate(SegmentedStreamFormat.HEADER_LENGTH);
			while (bytes.hasRemaining()) {
				if (channel.read(bytes) < 0) {
					return false;
				}
			}
			int segmentSize = SegmentedStreamHeader.parse(bytes.array()).segmentSize();
			return channel.size() > SegmentedStreamFormat.segmentOffset(row.offset() / segmentSize, segmentSize);
		}
		catch (NoSuchFileException ex) {
			// taken away to be committed, or left complete by a crash: the lease tells which
			return true;
		}
	}

	/**
	 * Rolls the upload forward, if its file holds sealed segments beyond its offset that authenticate.
	 * @param nodeId the server whose request holds the lease
	 * @return the offset the upload stands at now: the row's, or a segment boundary after it, or its length
	 * @throws UploadConflictException if the offset moved meanwhile (the lease was lost)
	 */
	public long rollForward(Row row, DataKey key, String nodeId) throws IOException {
		if (row.offset() == row.length()) {
			return row.offset();
		}
		Path directory = row.directory();
		SegmentedStreamHeader header = UploadFiles.header(directory, row.id());
		int segmentSize = header.segmentSize();
		long first = row.offset() / segmentSize;
		long kept;
		try (FileChannel part = FileChannel.open(UploadFiles.part(directory, row.id()), StandardOpenOption.READ,
				StandardOpenOption.WRITE)) {
			long start = SegmentedStreamFormat.segmentOffset(first, segmentSize);
			if (part.size() <= start) {
				return row.offset();
			}
			byte[] associatedData = SegmentedStreamFormat.associatedData(row.id(), row.version());
			kept = SegmentedPrefixReader.authenticated(part, key, header, associatedData, row.length(), first);
			long end = (first + kept == SegmentedStreamFormat.segmentCount(row.length(), segmentSize))
					? SegmentedStreamFormat.ciphertextSize(row.length(), segmentSize)
					: SegmentedStreamFormat.segmentOffset(first + kept, segmentSize);
			// a torn segment and whatever follows it go now: the file must hold exactly what the offset counts
			part.truncate(end);
			part.force(true);
		}
		if (kept == 0) {
			return row.offset();
		}
		long to = Math.min((first + kept) * segmentSize, row.length());
		// the running digest stands at the old offset: it is rebuilt from the file at the new one
		this.digests.forget(row.id());
		if (!this.uploads.rollForward(row.id(), row.offset(), to, nodeId)) {
			throw new UploadConflictException("The upload was discarded or moved on meanwhile");
		}
		// the tail of the old offset is superseded: its bytes are the start of the first kept segment
		UploadFiles.deleteTails(directory, row.id(), -1);
		logger.info("Resumable upload " + row.id() + " rolled forward from offset " + row.offset() + " to " + to
				+ " over " + kept + " sealed segments written by a request that ended before moving the offset");
		return to;
	}

}
