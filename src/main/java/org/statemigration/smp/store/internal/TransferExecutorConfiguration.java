package org.statemigration.smp.store.internal;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The threads of the transfer pipelines: the second half of every upload (sealing and writing while the request's
 * thread reads and hashes), the background flushes of a blob being written, and the read-ahead of every download.
 * <p>
 * The transfer slots admit at most {@code smp.transfers.max-concurrent} transfers at once (derived from the heap
 * when 0, at most {@value #MOST_TRANSFERS_FROM_HEAP}), and an admitted transfer runs at most
 * {@value #THREADS_PER_TRANSFER} of these tasks at a time: an upload its writer and one flush, a download its
 * read-ahead. The pool is sized for all of them together, so it is never the bottleneck: a transfer that was
 * admitted always finds its thread. It queues nothing, because a queued half of a transfer would leave the other
 * half waiting for it with no way out; a task beyond the pool (which the slots make impossible) is refused at
 * once. Threads are made when a transfer needs them and end after a minute idle, so the bound costs nothing until
 * it is used.
 * <p>
 * The pool is not a default candidate for injection, so that it is never taken for the application's general
 * task executor, and it shows in the metrics as {@code executor.*} with the tag {@code name=transferExecutor}. On
 * shutdown, which comes after the web server stopped and so after every transfer was cut off, it waits briefly
 * for the tasks that are still ending.
 */
@Configuration(proxyBeanMethods = false)
public class TransferExecutorConfiguration {

	/** The bean's name, to qualify its injection points with. */
	public static final String TRANSFER_EXECUTOR = "transferExecutor";

	static final int THREADS_PER_TRANSFER = 2;

	/** The most transfers the transfer slots derive from the heap when no limit is configured. */
	static final int MOST_TRANSFERS_FROM_HEAP = 256;

	static final int SHUTDOWN_WAIT_SECONDS = 10;

	@Bean(name = TRANSFER_EXECUTOR, defaultCandidate = false)
	ThreadPoolTaskExecutor transferExecutor(@Value("${smp.transfers.max-concurrent:0}") int maxConcurrent) {
		int transfers = (maxConcurrent > 0) ? maxConcurrent : MOST_TRANSFERS_FROM_HEAP;
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix("smp-transfer-");
		executor.setDaemon(true);
		executor.setCorePoolSize(0);
		executor.setMaxPoolSize(transfers * THREADS_PER_TRANSFER);
		executor.setQueueCapacity(0);
		executor.setWaitForTasksToCompleteOnShutdown(true);
		executor.setAwaitTerminationSeconds(SHUTDOWN_WAIT_SECONDS);
		return executor;
	}

}
