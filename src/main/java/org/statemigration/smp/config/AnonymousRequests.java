package org.statemigration.smp.config;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the requests without credentials that are running, per remote address and in all: such a request may
 * come from anyone, so the threads they can hold at once are bounded, and the rest of the threads stay free for
 * operators and enrolled computers.
 */
final class AnonymousRequests {

	private final int maxPerAddress;

	private final int maxInAll;

	private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();

	private final AtomicInteger inAll = new AtomicInteger();

	AnonymousRequests(int maxPerAddress, int maxInAll) {
		this.maxPerAddress = maxPerAddress;
		this.maxInAll = maxInAll;
	}

	/** Lets a request from the address in, or says which limit it is over. */
	Admission admit(String address) {
		// merge and computeIfPresent count atomically per address; an address with nothing running has no entry
		if (this.byAddress.merge(address, 1, Integer::sum) > this.maxPerAddress) {
			leave(address);
			return Admission.OVER_ADDRESS_LIMIT;
		}
		if (this.inAll.incrementAndGet() > this.maxInAll) {
			this.inAll.decrementAndGet();
			leave(address);
			return Admission.OVER_TOTAL_LIMIT;
		}
		return Admission.ADMITTED;
	}

	/** A request that was {@link Admission#ADMITTED} has ended. */
	void release(String address) {
		this.inAll.decrementAndGet();
		leave(address);
	}

	/** Requests without credentials running now. */
	int running() {
		return this.inAll.get();
	}

	private void leave(String address) {
		this.byAddress.computeIfPresent(address, (key, running) -> (running <= 1) ? null : running - 1);
	}

	enum Admission {

		ADMITTED, OVER_ADDRESS_LIMIT, OVER_TOTAL_LIMIT

	}

}
