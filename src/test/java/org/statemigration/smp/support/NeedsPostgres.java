package org.statemigration.smp.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that needs PostgreSQL whatever the database of the run: it opens the PostgreSQL databases it is
 * about itself ({@link ProcessDatabase#freshPostgres(String)}) and runs once, in the pom's PostgreSQL execution,
 * not in the first one. Its servers then run beside the suites that run there again ({@link OnBothDatabases}), as
 * they did when both databases were one run, instead of after the H2 run's.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(NeedsPostgres.TAG)
public @interface NeedsPostgres {

	/** The tag that the pom's first execution leaves out and its PostgreSQL execution selects. */
	String TAG = "needs-postgres";

}
