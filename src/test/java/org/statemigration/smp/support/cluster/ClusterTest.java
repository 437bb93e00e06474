package org.statemigration.smp.support.cluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class of the scale-out scenarios: several smp nodes behind a load balancer ({@link Cluster}), or server
 * processes that share one database and one bucket, are killed in the middle of a transfer, or move their storage
 * from folders to an object store. Each needs PostgreSQL or an S3 server, some HAProxy, and minutes rather than
 * seconds: the pom's default executions leave them out, and {@code mvn verify -Pcluster} runs these classes only.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(ClusterTest.TAG)
public @interface ClusterTest {

	/** The tag that the pom's default executions leave out and its {@code cluster} profile selects. */
	String TAG = "cluster";

}
