package org.statemigration.smp.managementpoint;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.managementpoint.TransferSlots.Slot;
import org.statemigration.smp.problem.ServerBusyException;
import org.statemigration.smp.store.CaptureInProgressException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class TransferSlotsTests {

	private final TransferSlots slots = new TransferSlots(refusing(2, 7));

	@Test
	void transfersOverTheLimitAreToldToComeBack() {
		Slot first = this.slots.capture(UUID.randomUUID());
		Slot second = this.slots.restore(UUID.randomUUID());
		assertThat(this.slots.active()).isEqualTo(2);
		assertThatExceptionOfType(ServerBusyException.class).isThrownBy(() -> this.slots.capture(UUID.randomUUID()))
			.satisfies((ex) -> assertThat(ex.retryAfterSeconds()).isEqualTo(7));
		assertThatExceptionOfType(ServerBusyException.class).isThrownBy(this.slots::checkCapacity);
		first.close();
		assertThatNoException().isThrownBy(this.slots::checkCapacity);
		this.slots.capture(UUID.randomUUID()).close();
		second.close();
		assertThat(this.slots.active()).isZero();
	}

	@Test
	void anAssociationHasOneCaptureAtATime() {
		UUID association = UUID.randomUUID();
		try (Slot capture = this.slots.capture(association)) {
			assertThatExceptionOfType(CaptureInProgressException.class)
				.isThrownBy(() -> this.slots.capture(association));
			assertThat(this.slots.active()).as("the refused capture holds no slot").isEqualTo(1);
		}
		this.slots.capture(association).close();
	}

	@Test
	void aCaptureRefusedForWantOfSlotsDoesNotKeepItsAssociationBusy() {
		TransferSlots one = new TransferSlots(refusing(1, 1));
		UUID association = UUID.randomUUID();
		Slot other = one.capture(UUID.randomUUID());
		assertThatExceptionOfType(ServerBusyException.class).isThrownBy(() -> one.capture(association));
		other.close();
		one.capture(association).close();
	}

	@Test
	void aStoreIsDownloadedAtMostFourTimesAtOnce() {
		TransferSlots many = new TransferSlots(refusing(100, 1));
		UUID association = UUID.randomUUID();
		Slot[] downloads = new Slot[TransferSlots.DOWNLOADS_PER_ASSOCIATION];
		for (int i = 0; i < downloads.length; i++) {
			downloads[i] = many.restore(association);
		}
		assertThatExceptionOfType(ServerBusyException.class).isThrownBy(() -> many.restore(association));
		many.restore(UUID.randomUUID()).close();
		downloads[0].close();
		many.restore(association).close();
		for (Slot download : downloads) {
			download.close();
		}
		assertThat(many.active()).isZero();
	}

	@Test
	void closingASlotTwiceFreesItOnce() {
		Slot slot = this.slots.capture(UUID.randomUUID());
		slot.close();
		slot.close();
		this.slots.capture(UUID.randomUUID());
		this.slots.capture(UUID.randomUUID());
		assertThatExceptionOfType(ServerBusyException.class).isThrownBy(() -> this.slots.capture(UUID.randomUUID()));
	}

	@Test
	void theLimitFollowsTheHeap() {
		long mib = 1024 * 1024;
		assertThat(TransferSlots.fromHeap(256 * mib)).isEqualTo(16);
		assertThat(TransferSlots.fromHeap(1024 * mib)).isEqualTo(64);
		assertThat(TransferSlots.fromHeap(64 * 1024 * mib)).isEqualTo(256);
		assertThat(TransferSlots.fromHeap(16 * mib)).isEqualTo(2);
	}

	@Test
	void noMoreWaitThanAQuarterOfTheHeapHolds() {
		long mib = 1024 * 1024;
		assertThat(TransferSlots.waitingFromHeap(256 * mib)).isEqualTo(256);
		assertThat(TransferSlots.waitingFromHeap(4096 * mib)).isEqualTo(4096);
		long heap = Runtime.getRuntime().maxMemory();
		TransferSlots capped = new TransferSlots(new TransferProperties(1, Duration.ofSeconds(1), 10_000,
				Duration.ofSeconds(1)));
		assertThat(capped.maxWaiting()).isEqualTo(TransferSlots.waitingFromHeap(heap)).isLessThan(10_000);
		TransferSlots fewer = new TransferSlots(new TransferProperties(1, Duration.ofSeconds(1), 3,
				Duration.ofSeconds(1)));
		assertThat(fewer.maxWaiting()).isEqualTo(3);
	}

	@Test
	void aTransferOverTheLimitWaitsForTheSlotThatFreesWhenItMayWait() throws Exception {
		TransferSlots waiting = new TransferSlots(new TransferProperties(1, Duration.ofSeconds(7), 1,
				Duration.ofSeconds(20)));
		Slot running = waiting.capture(UUID.randomUUID());
		UUID association = UUID.randomUUID();
		CompletableFuture<Slot> next = CompletableFuture.supplyAsync(() -> waiting.restore(association));
		await(() -> waiting.waiting() == 1);
		assertThat(next).isNotDone();
		// one running and one waiting, as many as may: the next is refused at once, and so is a request
		long start = System.nanoTime();
		assertThatExceptionOfType(ServerBusyException.class).isThrownBy(() -> waiting.capture(UUID.randomUUID()))
			.satisfies((ex) -> assertThat(ex.retryAfterSeconds()).isEqualTo(7));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThatExceptionOfType(ServerBusyException.class).isThrownBy(waiting::checkCapacity);

		running.close();
		Slot admitted = next.get(10, TimeUnit.SECONDS);
		assertThat(waiting.waiting()).isZero();
		assertThat(waiting.active()).isEqualTo(1);
		admitted.close();
		assertThat(waiting.active()).isZero();
	}

	@Test
	void aWaitingTransferIsRefusedWhenNoSlotFreesInTime() {
		TransferSlots waiting = new TransferSlots(new TransferProperties(1, Duration.ofSeconds(3), 4,
				Duration.ofMillis(300)));
		Slot running = waiting.capture(UUID.randomUUID());
		UUID association = UUID.randomUUID();
		long start = System.nanoTime();
		assertThatExceptionOfType(ServerBusyException.class).isThrownBy(() -> waiting.capture(association));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(waiting.waiting()).isZero();
		// a request may still be made while transfers could wait
		assertThatNoException().isThrownBy(waiting::checkCapacity);
		running.close();
		// the refused capture left its association free
		waiting.capture(association).close();
	}

	@Test
	void slotsGoToTheTransfersThatWaitInTheOrderTheyCame() throws Exception {
		TransferSlots waiting = new TransferSlots(new TransferProperties(1, Duration.ofSeconds(3), 2,
				Duration.ofSeconds(20)));
		Slot running = waiting.capture(UUID.randomUUID());
		CompletableFuture<Slot> first = CompletableFuture.supplyAsync(() -> waiting.capture(UUID.randomUUID()));
		await(() -> waiting.waiting() == 1);
		CompletableFuture<Slot> second = CompletableFuture.supplyAsync(() -> waiting.capture(UUID.randomUUID()));
		await(() -> waiting.waiting() == 2);

		running.close();
		Slot firstSlot = first.get(10, TimeUnit.SECONDS);
		assertThat(second).isNotDone();
		firstSlot.close();
		second.get(10, TimeUnit.SECONDS).close();
		assertThat(waiting.active()).isZero();
	}

	/** Limits under which every transfer over the most at once is refused at once. */
	private static TransferProperties refusing(int maxConcurrent, int retryAfterSeconds) {
		return new TransferProperties(maxConcurrent, Duration.ofSeconds(retryAfterSeconds), 0, Duration.ofSeconds(30));
	}

	private static void await(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

}
