package org.statemigration.smp.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole server on a random port over real TLS, in a fresh data dir, on the database of the run
 * ({@link TestDatabase}): the embedded H2, or on the PostgreSQL run a fresh PostgreSQL database ({@code smp_it} or
 * {@code SMP_TEST_POSTGRES_DATABASE} on {@code SMP_TEST_POSTGRES_URL}, default {@code 127.0.0.1:5432} as
 * {@code postgres}). Every test class with this annotation shares one running server. Such a class runs on H2; one
 * marked {@link OnBothDatabases} runs on PostgreSQL too. Without PostgreSQL the PostgreSQL run is skipped with a
 * warning, except on CI ({@code CI=true}), where it fails.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(TestEnvironments.class)
@Import(TestClockConfiguration.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "smp.data-dir=" + TestDatabase.DATA_DIR,
				"smp.storage.folders[0].location=${smp.data-dir}/stores", "smp.storage.folders[0].min-free-space=0MB",
				"smp.storage.folders[0].max-clients=100000", "smp.quota.max-store-size=32MB" })
@ContextConfiguration(initializers = TestDatabase.DataSourceInitializer.class)
public @interface IntegrationTest {

}
