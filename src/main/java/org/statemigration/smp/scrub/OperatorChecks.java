package org.statemigration.smp.scrub;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.store.StoreIntegrity;
import org.statemigration.smp.store.StoredStateStore;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Operators' checks of one version each ({@link Scrub#recheck}), off the request thread: a check reads the whole
 * store within the scrub's budget, which for a large store takes minutes, so a request waits for it at most
 * {@code smp.scrub.check-wait} and is then told that the check goes on. At most {@value #THREADS} checks read at
 * a time on a server (the others wait their turn); a second request for a version whose check is under way joins
 * that check rather than reading the store again. Stopping the server interrupts the checks.
 */
@Service
public class OperatorChecks implements DisposableBean {

	private static final Log logger = LogFactory.getLog(OperatorChecks.class);

	static final int THREADS = 2;

	private final Scrub scrub;

	private final StoreIntegrity integrity;

	private final ExecutorService executor;

	private final Map<UUID, Running> running = new ConcurrentHashMap<>();

	OperatorChecks(Scrub scrub, StoreIntegrity integrity) {
		this.scrub = scrub;
		this.integrity = integrity;
		AtomicInteger threads = new AtomicInteger();
		ThreadFactory factory = (task) -> {
			Thread thread = new Thread(task, "scrub-check-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		this.executor = Executors.newFixedThreadPool(THREADS, factory);
	}

	/**
	 * Starts a check of the version, or joins the one under way, and waits for it at most {@code wait}.
	 * @return the check, done or going on
	 * @throws NotFoundException if the id names no committed version
	 * @throws InterruptedIOException if the request's thread was interrupted while it waited
	 */
	public Check check(UUID storeId, String operator, Duration wait) throws InterruptedIOException {
		StoredStateStore store = this.integrity.committed(storeId)
			.orElseThrow(() -> new NotFoundException("No committed state store has the id " + storeId));
		Running check = this.running.computeIfAbsent(storeId, (id) -> start(store, operator));
		try {
			return new Check(store, Optional.of(check.result().get(wait.toMillis(), TimeUnit.MILLISECONDS)),
					check.operator());
		}
		catch (TimeoutException ex) {
			return new Check(store, Optional.empty(), check.operator());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("interrupted while waiting for the check of " + storeId);
		}
		catch (CancellationException ex) {
			throw new IllegalStateException("The check of state store " + storeId + " was stopped: the server stops");
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (ex.getCause() instanceof InterruptedIOException interrupted) {
				throw new IllegalStateException("The check of state store " + storeId + " was stopped: "
						+ interrupted.getMessage(), interrupted);
			}
			throw new IllegalStateException("The check of state store " + storeId + " failed", ex.getCause());
		}
	}

	private Running start(StoredStateStore store, String operator) {
		CompletableFuture<Scrub.Recheck> result = new CompletableFuture<>();
		this.executor.execute(() -> {
			try {
				result.complete(this.scrub.recheck(store.id(), operator));
			}
			catch (Throwable ex) {
				if (!(ex instanceof InterruptedIOException)) {
					logger.warn("The check of state store " + store.id() + " by " + operator + " failed: "
							+ ex.getMessage());
				}
				result.completeExceptionally(ex);
			}
			finally {
				this.running.remove(store.id());
			}
		});
		return new Running(result, operator);
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

	/**
	 * An operator's check of one version.
	 * @param store the version checked
	 * @param result what it found, or empty while it goes on
	 * @param operator who asked for the check under way (another operator's request joins it)
	 */
	public record Check(StoredStateStore store, Optional<Scrub.Recheck> result, String operator) {
	}

	private record Running(CompletableFuture<Scrub.Recheck> result, String operator) {
	}

}
