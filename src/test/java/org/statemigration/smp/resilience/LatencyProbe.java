package org.statemigration.smp.resilience;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

/**
 * Sends one request every few hundred milliseconds, as a load balancer's health check or an operator would, and
 * records how long each answer took (a request without an answer within the timeout counts as the timeout) and
 * which status it had.
 */
final class LatencyProbe implements AutoCloseable {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final HttpClient http;

	private final HttpRequest request;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final List<Long> millis = Collections.synchronizedList(new ArrayList<>());

	private final List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());

	private LatencyProbe(SSLContext tls, HttpRequest request) {
		this.http = HttpClient.newBuilder()
			.sslContext(tls)
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(TIMEOUT)
			.build();
		this.request = request;
	}

	/** Starts probing {@code uri} every {@code period}; {@code authorization} may be null. */
	static LatencyProbe start(SSLContext tls, URI uri, String authorization, Duration period) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		LatencyProbe probe = new LatencyProbe(tls, request.build());
		probe.scheduler.scheduleWithFixedDelay(probe::probe, 0, period.toMillis(), TimeUnit.MILLISECONDS);
		return probe;
	}

	private void probe() {
		long start = System.nanoTime();
		int status;
		try {
			status = this.http.send(this.request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (Exception ex) {
			status = 0;
		}
		long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		this.millis.add((status == 0) ? Math.max(took, TIMEOUT.toMillis()) : took);
		this.statuses.add(status);
	}

	/** Stops probing and returns what was measured. */
	Latencies stop() throws InterruptedException {
		this.scheduler.shutdown();
		this.scheduler.awaitTermination(10, TimeUnit.SECONDS);
		List<Long> sorted;
		synchronized (this.millis) {
			sorted = new ArrayList<>(this.millis);
		}
		Collections.sort(sorted);
		List<Integer> seen;
		synchronized (this.statuses) {
			seen = new ArrayList<>(this.statuses);
		}
		return new Latencies(sorted, seen);
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

	/** Answer times in milliseconds, sorted, and the statuses in the order they came. */
	record Latencies(List<Long> millis, List<Integer> statuses) {

		long percentile(int p) {
			if (this.millis.isEmpty()) {
				return Long.MAX_VALUE;
			}
			int index = (int) Math.ceil(p / 100.0 * this.millis.size()) - 1;
			return this.millis.get(Math.max(0, index));
		}

		long max() {
			return this.millis.isEmpty() ? Long.MAX_VALUE : this.millis.get(this.millis.size() - 1);
		}

		@Override
		public String toString() {
			return this.millis.size() + " probes, p50 " + percentile(50) + " ms, p99 " + percentile(99) + " ms, max "
					+ max() + " ms, statuses " + this.statuses.stream().distinct().toList();
		}

	}

}
