package org.statemigration.smp.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.statemigration.smp.association.AssociationState;

/**
 * Where the migrations that a filter matches stand.
 * @param total how many associations the filters match
 * @param byState how many of them are in each state, every state named
 * @param byAge how many of them were created how long ago
 * @param locations what each storage location holds of them: their current versions, by count and size
 * @param waitingForRestore those whose data was captured more than {@code days} ago and is not restored yet, longest
 * waiting first
 * @param upcomingDeletions restored ones whose data is deleted within {@code days} (or is overdue and goes at the
 * retention job's next pass), soonest first; none under legal hold
 * @param heldFromDeletion restored ones that would be deleted within {@code days} but are under legal hold, so they
 * are not
 * @param failedReleases releases of the last {@code days} in which a computer reported its capture or restore
 * failed, newest first
 */
public record MigrationStatusReport(Instant generatedAt, Filters filters, long total,
		Map<AssociationState, Long> byState, List<AgeBucket> byAge, List<LocationTotal> locations,
		Section<ReportRow> waitingForRestore, Section<ReportRow> upcomingDeletions,
		Section<ReportRow> heldFromDeletion, Section<FailedRelease> failedReleases) {

	/** The filters as applied. */
	public record Filters(AssociationState state, String computer, int days) {
	}

	/**
	 * Associations created from {@code fromDays} (inclusive) to {@code toDays} (exclusive) ago; {@code toDays}
	 * null for the last, open bucket.
	 */
	public record AgeBucket(String label, int fromDays, Integer toDays, long count) {
	}

	/** The current versions of the matching associations in one storage location. */
	public record LocationTotal(String location, String kind, long associations, long sizeBytes) {
	}

	/**
	 * A list of the report: how many there are in all, and the first {@value MigrationStatusReports#MAX_ITEMS}
	 * of them.
	 */
	public record Section<T>(long total, List<T> items) {
	}

	/**
	 * A release in which a computer reported its capture or restore failed.
	 * @param computer the computer that reported it
	 * @param operation {@code CAPTURE} or {@code RESTORE}
	 * @param message what the computer said (such as the exit code of the migration tool), or null
	 * @param state the association's state now; null when it has been deleted since
	 * @param unresolved whether the association is still where the failure left it ({@code CAPTURING} after a
	 * failed capture, {@code RESTORING} after a failed restore): the migration waits for someone to act
	 */
	public record FailedRelease(Instant at, UUID associationId, String computer, String operation, String message,
			String sourceComputer, String destinationComputer, AssociationState state, boolean unresolved) {
	}

}
