package org.statemigration.smp.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class of an operator's procedures on a whole server, run as the operator runs them: the packaged jar's
 * commands (backup and restore-backup, verify, keys) beside or between server processes, on H2 and PostgreSQL.
 * Each takes minutes rather than seconds: the pom's default executions leave them out, and {@code mvn verify
 * -Poperations} runs these classes only.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(OperationsTest.TAG)
public @interface OperationsTest {

	/** The tag that the pom's default executions leave out and its {@code operations} profile selects. */
	String TAG = "operations";

}
