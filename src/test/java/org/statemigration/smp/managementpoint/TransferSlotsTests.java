package org.statemigration.smp.managementpoint;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.managementpoint.TransferSlots.Slot;
import org.statemigration.smp.problem.ServerBusyException;
import org.statemigration.smp.store.CaptureInProgressException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class TransferSlotsTests {

	private final TransferSlots slots = new TransferSlots(new TransferProperties(2, Duration.ofSeconds(7)));

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
		TransferSlots one = new TransferSlots(new TransferProperties(1, Duration.ofSeconds(1)));
		UUID association = UUID.randomUUID();
		Slot other = one.capture(UUID.randomUUID());
		assertThatExceptionOfType(ServerBusyException.class).isThrownBy(() -> one.capture(association));
		other.close();
		one.capture(association).close();
	}

	@Test
	void aStoreIsDownloadedAtMostFourTimesAtOnce() {
		TransferSlots many = new TransferSlots(new TransferProperties(100, Duration.ofSeconds(1)));
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

}
