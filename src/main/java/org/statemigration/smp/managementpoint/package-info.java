/**
 * Management point: enrollment of computers, the server's built-in client CA and the client certificates it issues
 * (and blocks), management-point tokens, and the request and release of state stores. Its public API is this package;
 * everything else is internal.
 */
package org.statemigration.smp.managementpoint;
