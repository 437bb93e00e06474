/**
 * The management point: an enrolled computer, authenticated by its client certificate (the {@code pki} module),
 * requests a state store and receives a short-lived token bound to one association, one operation and that
 * certificate; it uploads or downloads the store with it and releases it. Every request is checked against the
 * token, the certificate and the association's current parties and state.
 */
package org.statemigration.smp.managementpoint;
