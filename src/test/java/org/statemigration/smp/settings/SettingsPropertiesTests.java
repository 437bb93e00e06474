package org.statemigration.smp.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.statemigration.smp.pki.PkiProperties;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration properties behind the runtime settings refuse, at start, what the API refuses at run time.
 */
class SettingsPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Properties.class);

	@Test
	void theDefaultsStart() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			RuntimeSettings defaults = context.getBean(SettingsProperties.class).defaults();
			assertThat(defaults.tokenTtl()).hasHours(4);
			assertThat(defaults.maxStoreSizeBytes()).isEqualTo(100L * 1024 * 1024 * 1024);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "smp.token.ttl=PT2562047788015215H", "smp.token.ttl=PT0S", "smp.token.ttl=-PT1H",
			"smp.token.ttl=P2D", "smp.upload.expiry=PT2562047788015215H", "smp.upload.expiry=PT30S",
			"smp.upload.expiry=P31D", "smp.retention.delete-after=PT2562047788015215H",
			"smp.retention.delete-after=P3651D", "smp.retention.delete-after=-PT1S", "smp.retention.delete-after=PT1S",
			"smp.retention.delete-after=PT59M", "smp.retention.delete-after=PT0S", "smp.quota.max-store-size=0B",
			"smp.quota.max-store-size=-1B", "smp.quota.max-store-size=17TB", "smp.enrollment.code-ttl=PT0S",
			"smp.enrollment.code-ttl=P91D", "smp.enrollment.code-ttl=PT2562047788015215H",
			"smp.enrollment.failure-window=PT0S", "smp.enrollment.max-failures=0", "smp.ca.client-cert-validity=PT1M",
			"smp.ca.client-cert-validity=P3651D" })
	void refusesToStartWithNonsense(String property) {
		this.runner.withPropertyValues(property).run((context) -> assertThat(context).hasFailed());
	}

	@ParameterizedTest
	@ValueSource(strings = { "smp.token.ttl=PT1S", "smp.token.ttl=P1D", "smp.upload.expiry=PT1M",
			"smp.upload.expiry=P30D", "smp.retention.delete-after=PT1H", "smp.retention.delete-after=P3650D",
			"smp.quota.max-store-size=1B", "smp.quota.max-store-size=16TB", "smp.enrollment.code-ttl=PT1M",
			"smp.enrollment.code-ttl=P90D" })
	void startsWithTheBounds(String property) {
		this.runner.withPropertyValues(property).run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest
	@ValueSource(strings = { "PT0S", "PT1S", "PT59M" })
	void startsWithAShortDeleteAfterOnlyWithTheUnsafeAllowance(String deleteAfter) {
		this.runner
			.withPropertyValues("smp.retention.delete-after=" + deleteAfter, "smp.retention.allow-immediate-delete=true")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ SettingsProperties.class, PkiProperties.class })
	static class Properties {

	}

}
