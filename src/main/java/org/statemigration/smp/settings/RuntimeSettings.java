package org.statemigration.smp.settings;

import java.time.Duration;

/**
 * The settings in force.
 * @param deleteAfter delay between a confirmed restore and the deletion of the data
 * @param restoreOnlyMode refuse captures, serve restores
 * @param maxStoreSizeBytes largest state store of one association
 * @param uploadExpiry an incomplete upload idle for this long is discarded
 * @param tokenTtl lifetime of a management-point token
 */
public record RuntimeSettings(Duration deleteAfter, boolean restoreOnlyMode, long maxStoreSizeBytes,
		Duration uploadExpiry, Duration tokenTtl) {
}
