package org.statemigration.smp.store.internal.upload;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.store.UploadExpiredException;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.ResumableUploadRepository.Row;

import org.springframework.stereotype.Component;

/** Resumable uploads as requests find them: live ones only, an upload idle past its expiry being gone. */
@Component
public class UploadRows {

	private final ResumableUploadRepository uploads;

	private final Clock clock;

	UploadRows(ResumableUploadRepository uploads, Clock clock) {
		this.uploads = uploads;
		this.clock = clock;
	}

	/**
	 * The upload, if it may still go on.
	 * @throws NotFoundException if there is no such upload (never was, finished, or discarded)
	 * @throws UploadExpiredException if it was idle past its expiry
	 */
	public Row live(UUID id) {
		Row row = this.uploads.find(id).orElseThrow(() -> new NotFoundException("No such upload"));
		if (row.expiresAt() == null || !row.expiresAt().isAfter(this.clock.instant())) {
			throw new UploadExpiredException("The upload was idle for longer than the upload expiry");
		}
		return row;
	}

	/** The association an upload belongs to, expired or not. */
	public Optional<UUID> owner(UUID id) {
		return this.uploads.find(id).map(Row::associationId);
	}

	/** Forgets the upload of a version being committed, in the committing transaction. */
	public void committed(UUID id) {
		this.uploads.delete(id);
	}

}
