/**
 * The {@code smp} command-line client ({@code java -jar smp.jar client enroll|capture|restore|status}): a separate
 * program shipped in the server's jar, for task sequences and operators. It talks to a server over HTTPS like any
 * other client (enrollment with a one-time code, mutual TLS with the certificate it gets, resumable transfers) and
 * depends on no server module: it starts without a Spring context and never opens a database.
 */
package org.statemigration.smp.client;
