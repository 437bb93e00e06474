package org.statemigration.smp.retention;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How retention runs ({@code smp.retention.*}). The delete-after delay itself is a runtime setting.
 * @param cleanupInterval time between the end of one pass and the start of the next; also the delay of the first
 * pass after start
 * @param deleteAssociationsAfter how long the record of an association stays after its data was deleted;
 * {@code PT0S} keeps records for ever
 */
@ConfigurationProperties("smp.retention")
@Validated
public record RetentionProperties(@DefaultValue("PT15M") Duration cleanupInterval,
		@DefaultValue("P30D") Duration deleteAssociationsAfter) {

	public RetentionProperties {
		if (cleanupInterval.isNegative() || cleanupInterval.isZero()) {
			throw new IllegalArgumentException("smp.retention.cleanup-interval must be positive");
		}
		if (deleteAssociationsAfter.isNegative()) {
			throw new IllegalArgumentException("smp.retention.delete-associations-after must not be negative");
		}
	}

	/** Whether the records of associations whose data was deleted are ever removed. */
	public boolean removesAssociationRecords() {
		return !this.deleteAssociationsAfter.isZero();
	}

}
