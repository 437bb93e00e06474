package org.statemigration.smp.managementpoint.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Counters of finished transfers: {@code smp.uploads} and {@code smp.uploaded.bytes} for every committed capture
 * upload, {@code smp.downloads} and {@code smp.downloaded.bytes} for every download body (whole or a range) sent
 * to its end. Failed, refused and cut-off transfers are not counted.
 */
@Component
class TransferMetrics {

	private final Counter uploads;

	private final Counter uploadedBytes;

	private final Counter downloads;

	private final Counter downloadedBytes;

	TransferMetrics(MeterRegistry registry) {
		this.uploads = Counter.builder("smp.uploads").description("Capture uploads committed").register(registry);
		this.uploadedBytes = Counter.builder("smp.uploaded.bytes")
			.description("Plaintext bytes of committed capture uploads")
			.baseUnit("bytes")
			.register(registry);
		this.downloads = Counter.builder("smp.downloads")
			.description("Downloads (whole stores or ranges) sent completely")
			.register(registry);
		this.downloadedBytes = Counter.builder("smp.downloaded.bytes")
			.description("Plaintext bytes of downloads sent completely")
			.baseUnit("bytes")
			.register(registry);
	}

	void uploaded(long bytes) {
		this.uploads.increment();
		this.uploadedBytes.increment(bytes);
	}

	void downloaded(long bytes) {
		this.downloads.increment();
		this.downloadedBytes.increment(bytes);
	}

}
