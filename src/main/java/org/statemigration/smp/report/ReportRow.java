package org.statemigration.smp.report;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.association.ComputerAssociation;
import org.statemigration.smp.association.MigrationType;
import org.statemigration.smp.store.StoreLocation;

/**
 * One association as the report shows it: its state, its ages, and where its current version lies.
 * @param ageDays whole days since the association was created
 * @param waitingDays whole days since its data was captured, while it waits for a restore ({@code CAPTURED} or
 * {@code RESTORING}); null otherwise
 * @param location where its current version lies; null when it has none
 * @param locationKind {@code folder} or {@code s3}; null when it has no version
 */
public record ReportRow(UUID id, String sourceComputer, String destinationComputer, MigrationType migrationType,
		AssociationState state, boolean legalHold, Long storeSizeBytes, String location, String locationKind,
		Instant createdAt, Instant capturedAt, Instant restoredAt, Instant deleteAt, long ageDays, Long waitingDays) {

	static ReportRow of(ComputerAssociation association, StoreLocation location, Instant now) {
		Long waiting = (waitsForRestore(association) && association.capturedAt() != null)
				? days(association.capturedAt(), now) : null;
		return new ReportRow(association.id(), association.sourceComputer(), association.destinationComputer(),
				association.migrationType(), association.state(), association.legalHold(),
				association.storeSizeBytes(), (location != null) ? location.location() : null,
				(location != null) ? location.kind() : null, association.createdAt(), association.capturedAt(),
				association.restoredAt(), association.deleteAt(), days(association.createdAt(), now), waiting);
	}

	static boolean waitsForRestore(ComputerAssociation association) {
		return association.state() == AssociationState.CAPTURED || association.state() == AssociationState.RESTORING;
	}

	private static long days(Instant from, Instant now) {
		return Math.max(0, Duration.between(from, now).toDays());
	}

}
