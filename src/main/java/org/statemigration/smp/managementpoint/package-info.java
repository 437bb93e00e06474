/**
 * The management point: computers enroll with a one-time code and get a client certificate from the built-in CA;
 * with that certificate (mutual TLS) they request a state store and receive a short-lived token bound to one
 * association, one operation and their certificate; they upload or download the store with it and release it.
 * Certificates can be blocked, and every request is checked against the token, the certificate and the
 * association's current parties and state.
 */
package org.statemigration.smp.managementpoint;
