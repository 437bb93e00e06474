package org.statemigration.smp.admin;

/**
 * An operator's password changed (by the operator, or reset by an administrator): published inside the change's
 * transaction, so that whoever keeps that operator's sign-ins ends them with it.
 * @param username the operator, as the account spells it
 */
public record OperatorPasswordChanged(String username) {
}
