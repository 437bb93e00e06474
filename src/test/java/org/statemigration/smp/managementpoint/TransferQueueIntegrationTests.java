package org.statemigration.smp.managementpoint;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code smp.transfers.max-waiting}, transfers over the limit wait for a slot, as real clients see it over
 * mutual TLS: an upload's {@code 100 Continue} and a download's answer come once a slot frees, and what is over the
 * waiting limit is refused at once as without it.
 */
@IntegrationTest
@TestPropertySource(properties = { "smp.transfers.max-waiting=1", "smp.transfers.max-wait=PT30S" })
class TransferQueueIntegrationTests extends ManagementPointTestSupport {

	@Autowired
	private TransferSlots slots;

	@Test
	void transfersOverTheLimitWaitForASlotAndTheRestAreRefusedAtOnce() throws Exception {
		Pair restored = newPair("CAPTURE_ALL_RESTORE_ALL");
		byte[] data = randomBytes(1024 * 1024);
		Grant capture = restored.source().request("CAPTURE");
		assertThat(restored.source().upload(capture.storeUrl(), capture.token(), data, null).status()).isEqualTo(201);
		restored.source().release(capture.token(), true);
		Grant restore = restored.destination().request("RESTORE");
		Pair captured = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant second = captured.source().request("CAPTURE");

		List<TransferSlots.Slot> taken = new ArrayList<>();
		try {
			while (taken.size() < this.slots.limit()) {
				taken.add(this.slots.capture(UUID.randomUUID()));
			}
			CompletableFuture<HttpResponse<byte[]>> download = CompletableFuture
				.supplyAsync(() -> restored.destination().download(restore.storeUrl(), restore.token(), null));
			awaitWaiting(1);
			assertThat(download).isNotDone();

			// one waits, as many as may: an upload is refused at once, before its body is sent
			long start = System.nanoTime();
			Response refused = captured.source().upload(second.storeUrl(), second.token(), data, null);
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.problem()).isEqualTo("server-busy");
			assertThat(refused.header("Retry-After")).isNotNull();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

			taken.remove(0).close();
			HttpResponse<byte[]> answered = download.get(30, TimeUnit.SECONDS);
			assertThat(answered.statusCode()).isEqualTo(200);
			assertThat(answered.body()).isEqualTo(data);
			assertThat(this.slots.waiting()).isZero();

			// and an upload that waits sends its body once its slot is there
			taken.add(this.slots.capture(UUID.randomUUID()));
			CompletableFuture<Response> upload = CompletableFuture
				.supplyAsync(() -> captured.source().upload(second.storeUrl(), second.token(), data, null));
			awaitWaiting(1);
			taken.remove(0).close();
			Response stored = upload.get(30, TimeUnit.SECONDS);
			assertThat(stored.status()).as(stored.body()).isEqualTo(201);
		}
		finally {
			taken.forEach(TransferSlots.Slot::close);
		}
	}

	private void awaitWaiting(int transfers) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (this.slots.waiting() != transfers) {
			assertThat(System.nanoTime()).as("%d transfers waiting within 20 s", transfers).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

}
