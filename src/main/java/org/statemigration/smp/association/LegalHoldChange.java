package org.statemigration.smp.association;

/**
 * Places ({@code hold = true}) or lifts a legal hold, with the reason for the record (1-500 characters).
 */
public record LegalHoldChange(Boolean hold, String reason) {
}
