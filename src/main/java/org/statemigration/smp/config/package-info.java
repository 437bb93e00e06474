/**
 * Cross-cutting configuration: the security filter chains (mutual TLS for computers, HTTP Basic for operators), and
 * the translation of failures into RFC 9457 problem details with the slugs of the API contract.
 */
package org.statemigration.smp.config;
