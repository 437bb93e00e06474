package org.statemigration.smp.recovery;

/** Why someone asks for an association's recovery information. */
public record RecoveryInformationRequest(String reason) {

}
