package org.statemigration.smp.config;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Gives every pooled database connection a lock timeout and a statement timeout ({@code smp.database.*}), set by
 * the pool when it opens the connection: a transaction that holds a row for long (a session left open in psql, a
 * stuck node) then makes the requests that need the row fail after the lock timeout, instead of each holding a
 * connection until the pool is exhausted and every request waits. PostgreSQL and H2 name the settings differently;
 * other databases are left as they are. An operator's own {@code spring.datasource.hikari.connection-init-sql}
 * runs after these settings, so it can override them.
 */
@Component
class DatabaseTimeouts implements BeanPostProcessor, EnvironmentAware {

	private static final Log logger = LogFactory.getLog(DatabaseTimeouts.class);

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	/**
	 * Before initialization, once the pool's properties are bound and before {@link FairConnectionQueue} stands in
	 * front of it.
	 */
	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
			String settings = initSql(pool.getJdbcUrl(), properties());
			if (settings != null) {
				String own = pool.getConnectionInitSql();
				pool.setConnectionInitSql((own == null || own.isBlank()) ? settings : settings + "; " + own);
				logger.debug("Database connections start with: " + settings);
			}
		}
		return bean;
	}

	private DatabaseTimeoutProperties properties() {
		return Binder.get(this.environment)
			.bindOrCreate("smp.database", Bindable.of(DatabaseTimeoutProperties.class));
	}

	/** The statements that set the timeouts on a new connection to the database of this URL, or null. */
	static String initSql(String jdbcUrl, DatabaseTimeoutProperties timeouts) {
		long lock = timeouts.lockTimeout().toMillis();
		long statement = timeouts.statementTimeout().toMillis();
		if (jdbcUrl.startsWith("jdbc:postgresql:")) {
			return "SET lock_timeout = " + lock + "; SET statement_timeout = " + statement;
		}
		if (jdbcUrl.startsWith("jdbc:h2:")) {
			// H2 has no "no lock timeout": 0 would mean not waiting at all, so 0 leaves H2's own default
			String lockSetting = (lock > 0) ? "SET LOCK_TIMEOUT " + lock + "; " : "";
			return lockSetting + "SET QUERY_TIMEOUT " + statement;
		}
		return null;
	}

	/**
	 * The database timeouts ({@code smp.database.*}); {@code 0} turns one off.
	 * @param lockTimeout how long a statement waits for a row or table lock that another transaction holds
	 * @param statementTimeout how long one statement may run
	 */
	record DatabaseTimeoutProperties(Duration lockTimeout, Duration statementTimeout) {

		DatabaseTimeoutProperties {
			lockTimeout = (lockTimeout != null) ? lockTimeout : Duration.ofSeconds(10);
			statementTimeout = (statementTimeout != null) ? statementTimeout : Duration.ofMinutes(5);
			if (lockTimeout.isNegative() || statementTimeout.isNegative()) {
				throw new IllegalArgumentException("smp.database.lock-timeout and statement-timeout must not be negative");
			}
		}

	}

}
