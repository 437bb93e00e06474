package org.statemigration.smp.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.association.ComputerAssociation;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.report.MigrationStatusReport.AgeBucket;
import org.statemigration.smp.report.MigrationStatusReport.Filters;
import org.statemigration.smp.report.MigrationStatusReport.LocationTotal;
import org.statemigration.smp.store.StoreLocation;
import org.statemigration.smp.store.StoreLocations;

import org.springframework.stereotype.Service;

/**
 * Builds migration status reports by walking through the associations that the filters match a page at a time
 * (each page in a short transaction of its own), so that neither the report nor the CSV export holds them all.
 */
@Service
public class MigrationStatusReports {

	/** The most items a section of the report lists; its total counts them all. */
	public static final int MAX_ITEMS = 100;

	static final int PAGE = 500;

	private static final int[] AGE_BOUNDS = { 0, 1, 7, 30, 90 };

	private static final String[] AGE_LABELS = { "under 1 day", "1 to 7 days", "7 to 30 days", "30 to 90 days",
			"90 days or more" };

	private final ComputerAssociations associations;

	private final StoreLocations locations;

	private final FailedReleases failedReleases;

	private final Clock clock;

	MigrationStatusReports(ComputerAssociations associations, StoreLocations locations,
			FailedReleases failedReleases, Clock clock) {
		this.associations = associations;
		this.locations = locations;
		this.failedReleases = failedReleases;
		this.clock = clock;
	}

	/** The report of the associations that the filter matches. */
	public MigrationStatusReport report(MigrationStatusFilter filter) {
		Instant now = this.clock.instant();
		Instant waitingSince = now.minus(Duration.ofDays(filter.days()));
		Instant deletionHorizon = now.plus(Duration.ofDays(filter.days()));
		Map<AssociationState, Long> byState = new EnumMap<>(AssociationState.class);
		for (AssociationState state : AssociationState.values()) {
			byState.put(state, 0L);
		}
		long[] ages = new long[AGE_BOUNDS.length];
		Map<String, long[]> perLocation = new LinkedHashMap<>();
		Map<String, String> kinds = new LinkedHashMap<>();
		TopItems<ReportRow> waiting = new TopItems<>(
				Comparator.comparing(ReportRow::capturedAt).thenComparing(ReportRow::id), MAX_ITEMS);
		TopItems<ReportRow> deletions = new TopItems<>(
				Comparator.comparing(ReportRow::deleteAt).thenComparing(ReportRow::id), MAX_ITEMS);
		TopItems<ReportRow> held = new TopItems<>(
				Comparator.comparing(ReportRow::deleteAt).thenComparing(ReportRow::id), MAX_ITEMS);
		long[] total = { 0 };
		walk(filter, now, (rows) -> {
			for (ReportRow row : rows) {
				total[0]++;
				byState.merge(row.state(), 1L, Long::sum);
				ages[ageBucket(row.ageDays())]++;
				if (row.location() != null) {
					long[] sums = perLocation.computeIfAbsent(row.location(), (l) -> new long[2]);
					sums[0]++;
					sums[1] += (row.storeSizeBytes() != null) ? row.storeSizeBytes() : 0;
					kinds.put(row.location(), row.locationKind());
				}
				if (row.waitingDays() != null && row.capturedAt().isBefore(waitingSince)) {
					waiting.offer(row);
				}
				if (row.state() == AssociationState.RESTORED && row.deleteAt() != null
						&& !row.deleteAt().isAfter(deletionHorizon)) {
					(row.legalHold() ? held : deletions).offer(row);
				}
			}
		});
		List<AgeBucket> byAge = new ArrayList<>();
		for (int i = 0; i < AGE_BOUNDS.length; i++) {
			Integer to = (i + 1 < AGE_BOUNDS.length) ? AGE_BOUNDS[i + 1] : null;
			byAge.add(new AgeBucket(AGE_LABELS[i], AGE_BOUNDS[i], to, ages[i]));
		}
		List<LocationTotal> locationTotals = perLocation.entrySet()
			.stream()
			.map((e) -> new LocationTotal(e.getKey(), kinds.get(e.getKey()), e.getValue()[0], e.getValue()[1]))
			.sorted(Comparator.comparing(LocationTotal::location))
			.toList();
		return new MigrationStatusReport(now, new Filters(filter.state(), filter.computer(), filter.days()), total[0],
				byState, List.copyOf(byAge), locationTotals, waiting.section(), deletions.section(), held.section(),
				this.failedReleases.since(waitingSince, filter));
	}

	/**
	 * Hands the rows of the associations that the filter matches to the sink a page at a time, in the order of the
	 * associations list (newest first); each page is read in a transaction of its own.
	 */
	public void forEachPage(MigrationStatusFilter filter, RowSink sink) throws IOException {
		forEachPage(filter, this.clock.instant(), sink);
	}

	private void forEachPage(MigrationStatusFilter filter, Instant now, RowSink sink) throws IOException {
		ComputerAssociation after = null;
		while (true) {
			List<ComputerAssociation> page = this.associations.searchAfter(filter.state(), filter.computer(), after,
					PAGE);
			if (page.isEmpty()) {
				return;
			}
			Map<UUID, StoreLocation> where = this.locations
				.current(page.stream().map(ComputerAssociation::id).toList());
			sink.accept(page.stream().map((a) -> ReportRow.of(a, where.get(a.id()), now)).toList());
			if (page.size() < PAGE) {
				return;
			}
			after = page.get(page.size() - 1);
		}
	}

	private void walk(MigrationStatusFilter filter, Instant now, RowSink sink) {
		try {
			forEachPage(filter, now, sink);
		}
		catch (IOException ex) {
			// the report's sink writes nothing
			throw new UncheckedIOException(ex);
		}
	}

	private static int ageBucket(long ageDays) {
		int bucket = 0;
		for (int i = 0; i < AGE_BOUNDS.length; i++) {
			if (ageDays >= AGE_BOUNDS[i]) {
				bucket = i;
			}
		}
		return bucket;
	}

	/** Takes the rows of one page. */
	@FunctionalInterface
	public interface RowSink {

		void accept(List<ReportRow> rows) throws IOException;

	}

}
