package org.statemigration.smp.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that kills server processes ({@code kill -9}) in the middle of their work, round after round, and
 * proves that every acknowledged byte survives. Each takes a minute or more: the pom's default executions leave
 * them out, and {@code mvn verify -Pfaults} runs these classes only.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(FaultTest.TAG)
public @interface FaultTest {

	/** The tag that the pom's default executions leave out and its {@code faults} profile selects. */
	String TAG = "faults";

}
