/**
 * Runtime settings: the deletion delay, restore-only mode, the store quota, the upload expiry and the token
 * lifetime. Each starts from its configuration property and can be changed through the API; a change is kept in
 * the database, so that every server of a cluster sees it, and recorded with who made it and when.
 */
package org.statemigration.smp.settings;
