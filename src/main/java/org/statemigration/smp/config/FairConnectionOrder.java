package org.statemigration.smp.config;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Puts a {@link FairConnectionQueue} in front of the connection pool, with a turn for each of its connections and
 * its connection timeout as the longest wait.
 */
@Component
class FairConnectionOrder implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource pool) {
			return new FairConnectionQueue(pool, pool.getMaximumPoolSize(), pool.getConnectionTimeout());
		}
		return bean;
	}

}
