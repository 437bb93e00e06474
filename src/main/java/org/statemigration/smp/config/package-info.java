/**
 * Cross-cutting configuration: the security filter chains (mutual TLS for computers, HTTP Basic for operators), and
 * the translation of failures into RFC 9457 problem details with the problem types of the API contract and the
 * HTTP status of each ({@link org.statemigration.smp.config.ProblemStatuses}).
 */
package org.statemigration.smp.config;
