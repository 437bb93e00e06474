package org.statemigration.smp.recovery;

/** The computer that becomes an association's destination, and why. */
public record ReassignmentRequest(String destinationComputer, String reason) {

}
