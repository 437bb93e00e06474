package org.statemigration.smp.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.Ordered;

@TestConfiguration(proxyBeanMethods = false)
public class TestClockConfiguration {

	@Bean
	@Primary
	TestClock testClock() {
		return new TestClock();
	}

	/** Lets a test lose the answer to a request (see {@link LostAnswers}); does nothing unless armed. */
	@Bean
	FilterRegistrationBean<LostAnswers> lostAnswers() {
		FilterRegistrationBean<LostAnswers> registration = new FilterRegistrationBean<>(new LostAnswers());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
