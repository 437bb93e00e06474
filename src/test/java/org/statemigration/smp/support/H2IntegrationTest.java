package org.statemigration.smp.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole server on a random port over real TLS, with the embedded H2 database in a fresh data dir. Every test
 * class with this annotation shares one running server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(TestEnvironments.class)
@Import(TestClockConfiguration.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "smp.data-dir=" + TestEnvironments.H2_DATA_DIR, "smp.storage.folders[0].location=${smp.data-dir}/stores", "smp.storage.folders[0].min-free-space=0MB", "smp.storage.folders[0].max-clients=100000", "smp.quota.max-store-size=32MB" })
public @interface H2IntegrationTest {

}
