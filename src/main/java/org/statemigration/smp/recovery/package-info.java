/**
 * The recovery path: revealing an association's recovery information (its encryption key and where its data lies)
 * to a recovery viewer, and moving an association to another destination computer. Both are audited in the
 * transaction of the action and refused when the audit record cannot be written (fail-closed).
 */
package org.statemigration.smp.recovery;
