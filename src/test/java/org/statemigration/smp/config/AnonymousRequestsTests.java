package org.statemigration.smp.config;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.config.AnonymousRequests.Admission;

import static org.assertj.core.api.Assertions.assertThat;

class AnonymousRequestsTests {

	private final AnonymousRequests requests = new AnonymousRequests(2, 3);

	@Test
	void oneAddressGetsItsShareAndNoMore() {
		assertThat(this.requests.admit("10.0.0.1")).isEqualTo(Admission.ADMITTED);
		assertThat(this.requests.admit("10.0.0.1")).isEqualTo(Admission.ADMITTED);
		assertThat(this.requests.admit("10.0.0.1")).isEqualTo(Admission.OVER_ADDRESS_LIMIT);
		assertThat(this.requests.admit("10.0.0.2")).isEqualTo(Admission.ADMITTED);
		this.requests.release("10.0.0.1");
		assertThat(this.requests.admit("10.0.0.1")).isEqualTo(Admission.ADMITTED);
	}

	@Test
	void allAddressesTogetherGetNoMoreThanTheTotal() {
		assertThat(this.requests.admit("10.0.0.1")).isEqualTo(Admission.ADMITTED);
		assertThat(this.requests.admit("10.0.0.2")).isEqualTo(Admission.ADMITTED);
		assertThat(this.requests.admit("10.0.0.3")).isEqualTo(Admission.ADMITTED);
		assertThat(this.requests.admit("10.0.0.4")).isEqualTo(Admission.OVER_TOTAL_LIMIT);
		// a refusal holds nothing: the address is not counted
		assertThat(this.requests.running()).isEqualTo(3);
		this.requests.release("10.0.0.2");
		assertThat(this.requests.admit("10.0.0.4")).isEqualTo(Admission.ADMITTED);
		assertThat(this.requests.admit("10.0.0.4")).isEqualTo(Admission.OVER_TOTAL_LIMIT);
	}

	@Test
	void everythingReleasedLeavesNothingCounted() {
		for (int i = 0; i < 100; i++) {
			if (this.requests.admit("10.0.0." + (i % 5)) == Admission.ADMITTED) {
				this.requests.release("10.0.0." + (i % 5));
			}
		}
		assertThat(this.requests.running()).isZero();
		assertThat(this.requests.admit("10.0.0.1")).isEqualTo(Admission.ADMITTED);
		assertThat(this.requests.admit("10.0.0.1")).isEqualTo(Admission.ADMITTED);
	}

}
