/**
 * Reports of where migrations stand, for operators: associations counted by state and age, stores waiting for a
 * restore, the size of what each storage location holds, failed releases and the deletions to come, as JSON and as
 * a CSV export of one row per association. It owns no data: it reads through the public services of the
 * association, store and audit modules, with the same filters as the associations list.
 */
package org.statemigration.smp.report;
