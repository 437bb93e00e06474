/**
 * Operator accounts: who may sign in to the admin API and the console, with which {@link Role roles}, and the
 * first administrator created on first start. Passwords are kept only as Argon2id hashes.
 */
package org.statemigration.smp.admin;
