package org.statemigration.smp.scrub;

import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.crypto.SegmentedStreamCheck;
import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.scrub.ScrubMetrics.Outcome;
import org.statemigration.smp.store.JobLock;
import org.statemigration.smp.store.StoreCheck;
import org.statemigration.smp.store.StoreIntegrity;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * The integrity scrub: checks committed versions whole ({@link StoreIntegrity}) within a budget of bytes per
 * second, marks and audits the damaged ones ({@link DamagedStores}) and counts what it did ({@link ScrubMetrics}).
 * Three ways in: the scheduled pass ({@link #scheduledPass}), which one server of a cluster runs at a time under
 * its lock and which goes on where a pass cut short stopped; the {@code verify} command ({@link #verify}); and an
 * operator's check of one version ({@link #recheck}), the only way a mark is cleared.
 */
@Service
public class Scrub {

	private static final Log logger = LogFactory.getLog(Scrub.class);

	private static final int PAGE = 100;

	private final StoreIntegrity integrity;

	private final DamagedStores damage;

	private final ScrubRepository progress;

	private final ScrubLock lock;

	private final ScrubMetrics metrics;

	private final AuditLog audit;

	private final ScrubProperties properties;

	private final ReadBudget budget;

	private final Clock clock;

	private final String node;

	Scrub(StoreIntegrity integrity, DamagedStores damage, ScrubRepository progress, ScrubLock lock,
			ScrubMetrics metrics, AuditLog audit, ScrubProperties properties, Clock clock) {
		this.integrity = integrity;
		this.damage = damage;
		this.progress = progress;
		this.lock = lock;
		this.metrics = metrics;
		this.audit = audit;
		this.properties = properties;
		this.budget = ReadBudget.perSecond(properties.bytesPerSecond());
		this.clock = clock;
		this.node = hostName() + " (node " + integrity.nodeId() + ")";
	}

	/** The scrub's settings. */
	public ScrubProperties properties() {
		return this.properties;
	}

	/**
	 * Checks every committed version now (or the one given), as the {@code verify} command does: beside a running
	 * scheduled scrub, without its lock, within the same budget. Damaged versions are marked and audited, and the
	 * pass is audited with its counts.
	 * @param only the id of the one version to check, or null for all
	 * @throws NotFoundException if {@code only} names no committed version
	 * @throws InterruptedIOException if the thread was interrupted
	 */
	public Verification verify(UUID only, Listener listener) throws InterruptedIOException {
		String by = "the verify command on " + this.node;
		Instant started = this.clock.instant();
		Tally tally = new Tally();
		if (only != null) {
			StoreIntegrity.Totals one = this.integrity.committed(only)
				.map((store) -> new StoreIntegrity.Totals(1, store.sizeBytes()))
				.orElseThrow(() -> new NotFoundException("No committed state store has the id " + only));
			listener.starting(one.versions(), one.bytes());
			check(only, by, tally, listener, null);
		}
		else {
			StoreIntegrity.Totals totals = this.integrity.totals();
			listener.starting(totals.versions(), totals.bytes());
			UUID after = null;
			List<UUID> page;
			do {
				page = this.integrity.committedAfter(after, PAGE);
				for (UUID id : page) {
					check(id, by, tally, listener, null);
					after = id;
				}
			}
			while (page.size() == PAGE);
		}
		ScrubPass pass = tally.pass(started, this.clock.instant(), by);
		this.audit.recordAs("system", "scrub.pass", (only != null) ? only.toString() : "all state stores",
				(tally.damaged.isEmpty()) ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
				"verify command: " + pass.describe() + damagedIds(tally.damaged));
		this.metrics.marked(this.damage.count());
		return new Verification(pass, List.copyOf(tally.damaged), List.copyOf(tally.unreadable));
	}

	/**
	 * One pass of the scheduled scrub, if no other server is scrubbing: goes on with the pass that was cut short,
	 * if any, from the version after the last it checked, else starts one; the lock is renewed as it goes.
	 * @return the pass, once it went through every version; empty if another server holds the lock, or the pass
	 * was cut short (the lock lost, the server stopping), to go on at the next turn
	 */
	public Optional<ScrubPass> scheduledPass() {
		Optional<JobLock.Held> taken;
		try {
			taken = this.lock.tryTake();
		}
		catch (RuntimeException ex) {
			this.metrics.pass(Outcome.FAILED);
			throw ex;
		}
		if (taken.isEmpty()) {
			this.metrics.pass(Outcome.SKIPPED);
			logger.debug("Another server is scrubbing the state stores, or did moments ago: skipped");
			return Optional.empty();
		}
		String by = "the scheduled scrub on " + this.node;
		try (JobLock.Held held = taken.get()) {
			ScrubRepository.Progress row = this.progress.progress();
			Tally tally = new Tally();
			Instant started;
			UUID after = null;
			if (row.current() != null) {
				started = row.current().startedAt();
				after = row.lastStoreId();
				tally.resume(row.current());
				logger.info("Going on with the scrub that started at " + started + " after " + row.current().stores()
						+ " version(s)");
			}
			else {
				started = this.clock.instant();
				this.progress.startPass(started);
			}
			List<UUID> page;
			do {
				page = this.integrity.committedAfter(after, PAGE);
				for (UUID id : page) {
					check(id, by, tally, Listener.NONE, held);
					after = id;
					this.progress.advance(id, tally.pass(started, null, by));
				}
			}
			while (page.size() == PAGE);
			ScrubPass pass = tally.pass(started, this.clock.instant(), by);
			this.progress.finishPass(pass);
			this.audit.recordAs("system", "scrub.pass", "all state stores",
					tally.damagedCount == 0 ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
					"scheduled scrub: " + pass.describe() + damagedIds(tally.damaged));
			this.metrics.completed(pass.finishedAt());
			this.metrics.marked(this.damage.count());
			this.metrics.pass(Outcome.COMPLETED);
			logger.info("Scrubbed the state stores: " + pass.describe());
			return Optional.of(pass);
		}
		catch (InterruptedIOException ex) {
			this.metrics.pass(Outcome.STOPPED);
			logger.warn("The scrub stopped before its end (" + ex.getMessage() + "); the next pass goes on from the "
					+ "last version it checked");
			return Optional.empty();
		}
		catch (RuntimeException ex) {
			this.metrics.pass(Outcome.FAILED);
			throw ex;
		}
	}

	/**
	 * An operator's check of one version now: a damaged version is marked (if it was not), an intact one that was
	 * marked has its mark cleared; both audited under the operator's name, and so is the check itself
	 * ({@code scrub.check}, with what it found), so that the result of a check that outlasted its request can be
	 * looked up.
	 * @throws NotFoundException if the id names no committed version
	 */
	public Recheck recheck(UUID storeId, String operator) throws InterruptedIOException {
		StoreCheck check = this.integrity.check(storeId, pace(Listener.NONE, null))
			.orElseThrow(() -> new NotFoundException("No committed state store has the id " + storeId));
		this.metrics.checked(check);
		boolean cleared = false;
		if (check.damaged()) {
			mark(check, "a check by " + operator, operator);
		}
		else if (check.verdict() == StoreCheck.Verdict.INTACT) {
			cleared = this.damage.clear(check, operator);
		}
		this.metrics.marked(this.damage.count());
		boolean marked = this.damage.find(storeId).isPresent();
		this.audit.recordAs(operator, "scrub.check", check.associationId().toString(),
				(check.verdict() == StoreCheck.Verdict.INTACT) ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
				"state store " + check.storeId() + " version " + check.version() + ": " + check.verdict().slug() + ": "
						+ check.detail() + "; " + check.bytesRead() + " byte(s) read"
						+ (cleared ? "; its mark cleared" : marked ? "; marked damaged" : ""));
		return new Recheck(check, cleared, marked);
	}

	/** The scheduled scrub's last pass and the one under way, if any. */
	public Status status() {
		ScrubRepository.Progress row = this.progress.progress();
		return new Status(this.properties.enabled(), this.properties.schedule(),
				this.properties.bytesPerSecond().toBytes(), row.last(), row.current());
	}

	private void check(UUID id, String by, Tally tally, Listener listener, JobLock.Held held)
			throws InterruptedIOException {
		if (Thread.currentThread().isInterrupted()) {
			throw new InterruptedIOException("interrupted");
		}
		Optional<StoreCheck> found = this.integrity.check(id, pace(listener, held));
		if (found.isEmpty()) {
			// replaced or deleted since it was listed
			return;
		}
		StoreCheck check = found.get();
		this.metrics.checked(check);
		tally.add(check);
		if (check.damaged()) {
			logger.warn("State store " + check.storeId() + " of association " + check.associationId() + " at "
					+ check.location() + " is damaged: " + check.verdict().slug() + ": " + check.detail());
			mark(check, by, "system");
		}
		else if (check.verdict() == StoreCheck.Verdict.UNREADABLE) {
			logger.warn("State store " + check.storeId() + " at " + check.location() + " could not be checked now: "
					+ check.detail());
		}
		listener.checked(check);
	}

	private void mark(StoreCheck check, String by, String actor) {
		try {
			this.damage.mark(check, by, actor);
		}
		catch (DataIntegrityViolationException ex) {
			// marked by another at the same moment, or the version is gone
			logger.debug("State store " + check.storeId() + " was not marked: " + ex.getMessage());
		}
	}

	private SegmentedStreamCheck.Pace pace(Listener listener, JobLock.Held held) {
		return (index, sealedLength) -> {
			try {
				this.budget.take(sealedLength);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException("interrupted");
			}
			if (held != null && !held.keep()) {
				throw new InterruptedIOException("the scrub's lock ran out; raise smp.scrub.lock-at-most-for (now "
						+ this.lock.atMost() + ") if this happens again");
			}
			listener.read(sealedLength);
		};
	}

	private static String damagedIds(List<StoreCheck> damaged) {
		if (damaged.isEmpty()) {
			return "";
		}
		StringBuilder ids = new StringBuilder("; damaged:");
		damaged.forEach((check) -> ids.append(' ').append(check.storeId()));
		return ids.toString();
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "an unnamed host";
		}
	}

	/** What a scrub tells about its progress; every method does nothing unless overridden. */
	public interface Listener {

		/** A listener that does nothing. */
		Listener NONE = new Listener() {
		};

		/** Before the first check: the versions to check and the size of their plaintext together. */
		default void starting(long versions, long bytes) {
		}

		/** Ciphertext bytes about to be read. */
		default void read(long bytes) {
		}

		/** A version checked. */
		default void checked(StoreCheck check) {
		}

	}

	/**
	 * What the {@code verify} command found.
	 * @param damaged the damaged versions, in the order they were checked
	 * @param unreadable the versions that could not be read now
	 */
	public record Verification(ScrubPass pass, List<StoreCheck> damaged, List<StoreCheck> unreadable) {
	}

	/**
	 * What an operator's check found.
	 * @param cleared whether it cleared the version's mark
	 * @param marked whether the version is marked damaged now
	 */
	public record Recheck(StoreCheck check, boolean cleared, boolean marked) {
	}

	/**
	 * The scheduled scrub as the console and the API show it.
	 * @param bytesPerSecond the budget, {@code 0} for no limit
	 * @param last the last pass that ended, or null
	 * @param current the pass under way or cut short, or null
	 */
	public record Status(boolean enabled, String schedule, long bytesPerSecond, ScrubPass last, ScrubPass current) {
	}

	/** The counts of a pass as it goes. */
	private static final class Tally {

		private long stores;

		private long bytes;

		private long damagedCount;

		private long unreadableCount;

		private final List<StoreCheck> damaged = new ArrayList<>();

		private final List<StoreCheck> unreadable = new ArrayList<>();

		void resume(ScrubPass counts) {
			this.stores = counts.stores();
			this.bytes = counts.bytes();
			this.damagedCount = counts.damaged();
			this.unreadableCount = counts.unreadable();
		}

		void add(StoreCheck check) {
			this.stores++;
			this.bytes += check.bytesRead();
			if (check.damaged()) {
				this.damagedCount++;
				this.damaged.add(check);
			}
			else if (check.verdict() == StoreCheck.Verdict.UNREADABLE) {
				this.unreadableCount++;
				this.unreadable.add(check);
			}
		}

		ScrubPass pass(Instant started, Instant finished, String by) {
			return new ScrubPass(started, finished, this.stores, this.bytes, this.damagedCount, this.unreadableCount,
					by);
		}

	}

}
