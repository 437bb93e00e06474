package org.statemigration.smp.scrub.web;

import java.io.InterruptedIOException;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.statemigration.smp.scrub.DamagedStore;
import org.statemigration.smp.scrub.DamagedStores;
import org.statemigration.smp.scrub.Scrub;
import org.statemigration.smp.scrub.ScrubPass;
import org.statemigration.smp.store.StoreCheck;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The integrity scrub as operators see it: its schedule, its last pass and the one under way, and the damaged
 * versions ({@code GET}); and the check of one version now, which marks it if it is damaged and clears its mark if
 * it is intact again ({@code POST}).
 */
@RestController
@RequestMapping("/api/v1/scrub")
class ScrubController {

	private final Scrub scrub;

	private final DamagedStores damaged;

	ScrubController(Scrub scrub, DamagedStores damaged) {
		this.scrub = scrub;
		this.damaged = damaged;
	}

	@GetMapping
	ScrubBody status() {
		Scrub.Status status = this.scrub.status();
		return new ScrubBody(status.enabled(), status.schedule(), status.bytesPerSecond(), PassBody.of(status.last()),
				PassBody.of(status.current()), this.damaged.list().stream().map(DamagedBody::of).toList());
	}

	@PostMapping("/stores/{storeId}/check")
	CheckBody check(@PathVariable UUID storeId, Principal operator) throws InterruptedIOException {
		Scrub.Recheck recheck = this.scrub.recheck(storeId, operator.getName());
		StoreCheck check = recheck.check();
		return new CheckBody(check.storeId(), check.associationId(), check.version(), check.verdict().slug(),
				check.segment(), check.detail(), check.bytesRead(), recheck.marked(), recheck.cleared());
	}

	record ScrubBody(boolean enabled, String schedule, long bytesPerSecond, PassBody lastPass, PassBody currentPass,
			List<DamagedBody> damaged) {
	}

	record PassBody(Instant startedAt, Instant finishedAt, long stores, long bytes, long damaged, long unreadable) {

		static PassBody of(ScrubPass pass) {
			return (pass != null) ? new PassBody(pass.startedAt(), pass.finishedAt(), pass.stores(), pass.bytes(),
					pass.damaged(), pass.unreadable()) : null;
		}

	}

	record DamagedBody(UUID storeId, UUID associationId, long version, String verdict, Long segment, String detail,
			Instant foundAt, String foundBy) {

		static DamagedBody of(DamagedStore store) {
			return new DamagedBody(store.storeId(), store.associationId(), store.version(), store.verdict(),
					store.segment(), store.detail(), store.foundAt(), store.foundBy());
		}

	}

	record CheckBody(UUID storeId, UUID associationId, long version, String verdict, Long segment, String detail,
			long bytesRead, boolean marked, boolean cleared) {
	}

}
