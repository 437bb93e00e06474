/**
 * The shared kernel of errors: every failure that a caller should see as an RFC 9457 problem is a
 * {@link org.statemigration.smp.problem.ProblemException} carrying one of the
 * {@link org.statemigration.smp.problem.ProblemType problem types} of the API contract. Each module defines its own
 * exceptions on top of it, saying what went wrong and nothing of HTTP; the web layer picks the status of each type
 * and turns them into {@code application/problem+json}.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package org.statemigration.smp.problem;
