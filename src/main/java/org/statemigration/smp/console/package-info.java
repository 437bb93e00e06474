/**
 * The operators' web console: server-rendered pages under {@code /console} behind a sign-in form at {@code /login},
 * for the same operator accounts and roles as the admin API. It owns no data: every page reads and every form acts
 * through the public services of the other modules, the very ones the API calls, so validation, audit records and
 * fail-closed behaviour are the same whichever way an operator works. Its security rules (roles per page, CSRF,
 * headers) are in the console filter chain of the {@code config} module.
 */
package org.statemigration.smp.console;
