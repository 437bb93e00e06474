package org.statemigration.smp.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.store.AbandonedUploads;

import org.springframework.stereotype.Service;

/**
 * One retention pass: deletes the restored data that is due, discards unfinished uploads that have been idle too
 * long, and removes aged association records. Every deletion is counted in {@code smp.retention.deletions},
 * tagged with its {@code kind} ({@code data}, {@code upload}, {@code association}). Several servers may run
 * passes at once: each deletion happens on exactly one of them.
 */
@Service
public class RetentionJob {

	static final String DELETIONS = "smp.retention.deletions";

	private static final Log logger = LogFactory.getLog(RetentionJob.class);

	private final RestoredDataDeletion data;

	private final AbandonedUploads uploads;

	private final AgedAssociationRemoval associations;

	private final RetentionProperties properties;

	private final Counter dataDeletions;

	private final Counter uploadDeletions;

	private final Counter associationDeletions;

	RetentionJob(RestoredDataDeletion data, AbandonedUploads uploads, AgedAssociationRemoval associations,
			RetentionProperties properties, MeterRegistry meters) {
		this.data = data;
		this.uploads = uploads;
		this.associations = associations;
		this.properties = properties;
		this.dataDeletions = counter(meters, "data");
		this.uploadDeletions = counter(meters, "upload");
		this.associationDeletions = counter(meters, "association");
	}

	private static Counter counter(MeterRegistry meters, String kind) {
		return Counter.builder(DELETIONS)
			.description("Deletions by retention: restored data, unfinished uploads, association records")
			.tag("kind", kind)
			.register(meters);
	}

	/** Runs one pass now, on the calling thread, and says what it deleted. */
	public RetentionPass runOnce() {
		int data = this.data.deleteDue(this.dataDeletions);
		int uploads = this.uploads.discardIdle(this.uploadDeletions::increment);
		int associations = 0;
		if (this.properties.removesAssociationRecords()) {
			associations = this.associations.removeDue(this.properties.deleteAssociationsAfter(),
					this.associationDeletions);
		}
		RetentionPass pass = new RetentionPass(data, uploads, associations);
		if (data + uploads + associations > 0) {
			logger.info("Retention pass: " + pass);
		}
		return pass;
	}

	/** The scheduled pass: a failure is logged and the next pass tries again. */
	void runScheduled() {
		try {
			runOnce();
		}
		catch (RuntimeException ex) {
			logger.warn("Retention pass failed; the next one will try again", ex);
		}
	}

}
