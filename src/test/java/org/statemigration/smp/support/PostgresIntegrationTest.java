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
 * The whole server on a random port over real TLS, with a fresh PostgreSQL database ({@code smp_it} or {@code SMP_TEST_POSTGRES_DATABASE} on
 * {@code SMP_TEST_POSTGRES}, default {@code 127.0.0.1:5432} as {@code postgres}). Without PostgreSQL these
 * tests are skipped with a warning, except on CI ({@code CI=true}), where they fail.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(TestEnvironments.class)
@Import(TestClockConfiguration.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "smp.data-dir=" + TestEnvironments.POSTGRES_DATA_DIR,
				"smp.storage.folders[0].location=${smp.data-dir}/stores", "smp.storage.folders[0].min-free-space=0MB", "smp.storage.folders[0].max-clients=100000", "smp.quota.max-store-size=32MB",
				"spring.datasource.url=${SMP_TEST_POSTGRES_URL:jdbc:postgresql://127.0.0.1:5432/}${SMP_TEST_POSTGRES_DATABASE:smp_it}",
				"spring.datasource.username=${SMP_TEST_POSTGRES_USER:postgres}",
				"spring.datasource.password=${SMP_TEST_POSTGRES_PASSWORD:}" })
public @interface PostgresIntegrationTest {

}
