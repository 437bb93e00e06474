package org.statemigration.smp.store.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The executor of the transfer pipelines: sized for every transfer the slots admit, queueing nothing, seen in the
 * metrics, never taken for the application's general task executor, and shut down with the context once its
 * running tasks are over.
 */
class TransferExecutorConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(TaskExecutionAutoConfiguration.class, TaskExecutorMetricsAutoConfiguration.class))
		.withUserConfiguration(TransferExecutorConfiguration.class)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void hasTwoThreadsForEveryTransferTheSlotsAdmitAndQueuesNothing() {
		this.contexts.withPropertyValues("smp.transfers.max-concurrent=10").run((context) -> {
			ThreadPoolTaskExecutor executor = context.getBean(TransferExecutorConfiguration.TRANSFER_EXECUTOR,
					ThreadPoolTaskExecutor.class);
			assertThat(executor.getMaxPoolSize()).isEqualTo(20);
			assertThat(executor.getQueueCapacity()).isZero();
			assertThat(executor.getPoolSize()).as("threads are made when transfers need them").isZero();
		});
	}

	@Test
	void coversTheMostTransfersTheHeapCanGiveWhenNoLimitIsConfigured() {
		this.contexts.run((context) -> assertThat(context
			.getBean(TransferExecutorConfiguration.TRANSFER_EXECUTOR, ThreadPoolTaskExecutor.class)
			.getMaxPoolSize()).isEqualTo(2 * TransferExecutorConfiguration.MOST_TRANSFERS_FROM_HEAP));
	}

	@Test
	void showsInTheMetricsUnderItsName() {
		this.contexts.withPropertyValues("smp.transfers.max-concurrent=10").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("executor.pool.max").tag("name", "transferExecutor").gauge().value())
				.isEqualTo(20);
			assertThat(registry.get("executor.active").tag("name", "transferExecutor").gauge().value()).isZero();
		});
	}

	@Test
	void leavesTheApplicationTaskExecutorToSpringBoot() {
		this.contexts.run((context) -> {
			assertThat(context).hasBean("applicationTaskExecutor");
			assertThat(context.getBean(ThreadPoolTaskExecutor.class)).as("the one default candidate")
				.isSameAs(context.getBean("applicationTaskExecutor"));
		});
	}

	@Test
	void letsRunningTasksEndWhenTheContextClosesAndTakesNoMore() throws InterruptedException {
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean finished = new AtomicBoolean();
		ThreadPoolTaskExecutor[] executor = new ThreadPoolTaskExecutor[1];
		this.contexts.run((context) -> {
			executor[0] = context.getBean(TransferExecutorConfiguration.TRANSFER_EXECUTOR,
					ThreadPoolTaskExecutor.class);
			executor[0].execute(() -> {
				started.countDown();
				try {
					Thread.sleep(300);
					finished.set(true);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		});
		assertThat(finished).as("the running task ended before the context was closed").isTrue();
		assertThat(executor[0].getThreadPoolExecutor().isTerminated()).isTrue();
		assertThatExceptionOfType(TaskRejectedException.class).isThrownBy(() -> executor[0].execute(() -> {
		}));
	}

}
