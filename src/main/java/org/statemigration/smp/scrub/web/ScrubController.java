package org.statemigration.smp.scrub.web;

import java.io.InterruptedIOException;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.statemigration.smp.scrub.DamagedStore;
import org.statemigration.smp.scrub.DamagedStores;
import org.statemigration.smp.scrub.OperatorChecks;
import org.statemigration.smp.scrub.Scrub;
import org.statemigration.smp.scrub.ScrubPass;
import org.statemigration.smp.store.StoreCheck;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The integrity scrub as operators see it: its schedule, its last pass and the one under way, and the damaged
 * versions ({@code GET}); and the check of one version now, which marks it if it is damaged and clears its mark if
 * it is intact again ({@code POST}): answered with what it found once the store has been read, or, if that takes
 * longer than {@code smp.scrub.check-wait}, with 202 and where the result will be (the audit log's
 * {@code scrub.check}) while the check goes on.
 */
@RestController
@RequestMapping("/api/v1/scrub")
class ScrubController {

	/** Where the result of a check that goes on is recorded. */
	static final String CHECK_RESULTS = "/api/v1/audit?action=scrub.check";

	private final Scrub scrub;

	private final DamagedStores damaged;

	private final OperatorChecks checks;

	ScrubController(Scrub scrub, DamagedStores damaged, OperatorChecks checks) {
		this.scrub = scrub;
		this.damaged = damaged;
		this.checks = checks;
	}

	@GetMapping
	ScrubBody status() {
		Scrub.Status status = this.scrub.status();
		return new ScrubBody(status.enabled(), status.schedule(), status.bytesPerSecond(), PassBody.of(status.last()),
				PassBody.of(status.current()), this.damaged.list().stream().map(DamagedBody::of).toList());
	}

	@PostMapping("/stores/{storeId}/check")
	@ApiResponse(responseCode = "200", description = "Checked within smp.scrub.check-wait",
			content = @Content(schema = @Schema(implementation = CheckBody.class)))
	@ApiResponse(responseCode = "202", description = "Still checking; the result will be in the audit log (Location)",
			content = @Content(schema = @Schema(implementation = RunningBody.class)))
	ResponseEntity<?> check(@PathVariable UUID storeId, Principal operator) throws InterruptedIOException {
		OperatorChecks.Check started = this.checks.check(storeId, operator.getName(),
				this.scrub.properties().checkWait());
		if (started.result().isEmpty()) {
			return ResponseEntity.status(HttpStatus.ACCEPTED)
				.header("Location", CHECK_RESULTS)
				.body(new RunningBody(started.store().id(), started.store().associationId(), started.store().version(),
						"running", started.operator(), this.scrub.properties().bytesPerSecond().toBytes(),
						CHECK_RESULTS));
		}
		Scrub.Recheck recheck = started.result().get();
		StoreCheck check = recheck.check();
		return ResponseEntity.ok(new CheckBody(check.storeId(), check.associationId(), check.version(),
				check.verdict().slug(), check.segment(), check.detail(), check.bytesRead(), recheck.marked(),
				recheck.cleared()));
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

	record RunningBody(UUID storeId, UUID associationId, long version, String state, String startedBy,
			long bytesPerSecond, String results) {
	}

	record CheckBody(UUID storeId, UUID associationId, long version, String verdict, Long segment, String detail,
			long bytesRead, boolean marked, boolean cleared) {
	}

}
