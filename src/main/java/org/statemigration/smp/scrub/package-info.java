/**
 * The integrity scrub: reads every committed state store whole through the storage port, authenticates every
 * segment and compares the plaintext's SHA-256 with the one recorded at the commit, without keeping any plaintext
 * and within a budget of bytes per second. It runs as a command ({@code java -jar smp.jar verify}) and as a
 * scheduled job (off by default) that one server of a cluster runs at a time, going on where a pass cut short
 * stopped. A damaged store is marked, audited and counted, and never handed out whole: its restore is refused.
 */
package org.statemigration.smp.scrub;
