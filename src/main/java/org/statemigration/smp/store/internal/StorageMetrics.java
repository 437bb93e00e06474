package org.statemigration.smp.store.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.statemigration.smp.store.FolderUsage;
import org.statemigration.smp.store.StorageReservations;
import org.statemigration.smp.store.internal.StorageFolders.Folder;

import org.springframework.stereotype.Component;

/**
 * Gauges per storage folder (tag {@code folder}, its location): stored, reserved and free bytes, and clients.
 * The folders' usage is read at most once every few seconds, however many gauges a scrape reads.
 */
@Component
class StorageMetrics {

	static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(5);

	private final StorageReservations reservations;

	private volatile Map<String, FolderUsage> usage;

	private volatile long readAt;

	StorageMetrics(StorageReservations reservations, StorageFolders folders, MeterRegistry registry) {
		this.reservations = reservations;
		for (Folder folder : folders.all()) {
			String location = folder.location();
			register(registry, "smp.storage.stored.bytes", "Bytes of the committed state stores in the folder",
					location, "bytes", FolderUsage::usedBytes);
			register(registry, "smp.storage.reserved.bytes", "Bytes reserved for uploads not yet written",
					location, "bytes", FolderUsage::reservedBytes);
			register(registry, "smp.storage.free.bytes", "Usable space on the folder's file system, or an S3 location's capacity less its stored bytes", location,
					"bytes", FolderUsage::freeBytes);
			register(registry, "smp.storage.clients", "Associations with data, an upload or a reservation in the folder",
					location, null, FolderUsage::clients);
		}
	}

	private void register(MeterRegistry registry, String name, String description, String location, String unit,
			ToDoubleFunction<FolderUsage> value) {
		Gauge.builder(name, this, (metrics) -> metrics.value(location, value))
			.description(description)
			.tag("folder", location)
			.baseUnit(unit)
			.register(registry);
	}

	private double value(String location, ToDoubleFunction<FolderUsage> value) {
		FolderUsage folder = usage().get(location);
		return (folder != null) ? value.applyAsDouble(folder) : Double.NaN;
	}

	private Map<String, FolderUsage> usage() {
		Map<String, FolderUsage> usage = this.usage;
		if (usage == null || System.nanoTime() - this.readAt > MAX_AGE_NANOS) {
			synchronized (this) {
				if (this.usage == null || System.nanoTime() - this.readAt > MAX_AGE_NANOS) {
					List<FolderUsage> folders = this.reservations.usage();
					this.usage = folders.stream().collect(Collectors.toMap(FolderUsage::location, (f) -> f));
					this.readAt = System.nanoTime();
				}
				usage = this.usage;
			}
		}
		return usage;
	}

}
