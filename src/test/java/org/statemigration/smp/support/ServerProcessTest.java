package org.statemigration.smp.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A test class whose servers are processes of its own ({@link ServerProcess}), sharing nothing with the test JVM's
 * servers. Such classes run one at a time, beside the other test classes (see {@code junit-platform.properties}):
 * most of their time is spent waiting for a process to start, sync or stop.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("server-processes")
public @interface ServerProcessTest {

}
