package org.statemigration.smp.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import org.statemigration.smp.report.MigrationStatusReport.Section;

/**
 * Counts the items offered and keeps the first few of them in an order, whatever the order they come in: a report
 * section with bounded memory.
 */
final class TopItems<T> {

	private final Comparator<T> order;

	private final int limit;

	// the greatest kept item on top, so that it is the one to drop
	private final PriorityQueue<T> kept;

	private long total;

	TopItems(Comparator<T> order, int limit) {
		this.order = order;
		this.limit = limit;
		this.kept = new PriorityQueue<>(order.reversed());
	}

	void offer(T item) {
		this.total++;
		this.kept.add(item);
		if (this.kept.size() > this.limit) {
			this.kept.poll();
		}
	}

	Section<T> section() {
		List<T> items = new ArrayList<>(this.kept);
		items.sort(this.order);
		return new Section<>(this.total, List.copyOf(items));
	}

}
