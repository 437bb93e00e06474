package org.statemigration.smp.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that runs on H2 and again on PostgreSQL: its servers, or the databases it opens, are on the
 * database of the run ({@link TestDatabase}). {@code mvn verify} runs failsafe twice: first every integration test
 * with {@code smp.test.database=h2} (but those that {@link NeedsPostgres}), then the classes tagged {@value #TAG}
 * with {@code smp.test.database=postgres}, beside those that need PostgreSQL (reports in
 * {@code target/failsafe-reports} and {@code target/failsafe-reports-postgres}).
 * <p>
 * Why a second run, not a parameterized class or an extension that runs each class twice: Spring's TestContext
 * framework makes the server from the annotations of the class, once for each configuration, and caches it, so a
 * parameter cannot choose its database, and one JVM would hold both servers. With a run for each database, each
 * JVM starts the shared server once, the test names stay those of the source, each run has a report of its own,
 * and a suite is one class that a system property puts on the other database.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(OnBothDatabases.TAG)
public @interface OnBothDatabases {

	/** The tag that the pom's PostgreSQL execution selects. */
	String TAG = "both-databases";

}
