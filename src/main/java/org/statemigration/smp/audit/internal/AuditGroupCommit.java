package org.statemigration.smp.audit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.statemigration.smp.audit.AuditProperties;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends events that each stand alone, outside their caller's transaction (a refusal, a failed release), in
 * groups: while one group is written and committed, the events that arrive meanwhile wait, and the next of their
 * callers writes them all in one transaction, with one lock of the chain's head and one commit. Each caller
 * returns once its own event has committed, or throws what kept it from committing; under a burst of such events
 * (a flood of bad tokens, many computers reporting failures at once) the head is held once per group rather than
 * once per event, and one server's events do not queue one by one on the database's lock.
 * <p>
 * A group is written by one of the waiting callers, on its thread, so no thread of its own is needed and nothing
 * is left to write when the server stops. A caller waits for its turn at most twice {@code smp.audit.lock-timeout}
 * (the head's wait for the group being written, and as long again for its statement and commit), then gives up
 * with its event unwritten, unless a writer has taken it already.
 */
@Component
public class AuditGroupCommit {

	/** The most events in one transaction: a group's statement stays well within what a driver takes. */
	static final int MAX_GROUP = 100;

	private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();

	private final ReentrantLock writer = new ReentrantLock();

	private final AuditRepository events;

	private final TransactionTemplate transactions;

	private final long turnMillis;

	AuditGroupCommit(AuditRepository events, PlatformTransactionManager transactions, AuditProperties properties) {
		this.events = events;
		this.transactions = new TransactionTemplate(transactions);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		// the head's own wait, and as long again for the statement and the commit of a group
		this.turnMillis = 2 * Math.max(1, properties.lockTimeout().toMillis());
	}

	/**
	 * Appends the event in a transaction of its own, with whatever other events wait at the same moment.
	 * @throws AuditGroupCommitException if it could not be committed in time, with the reason as its cause
	 */
	public void append(NewAuditEvent event) {
		Pending pending = new Pending(event);
		this.waiting.add(pending);
		try {
			while (!pending.isDone()) {
				if (!this.writer.tryLock(this.turnMillis, TimeUnit.MILLISECONDS)) {
					giveUp(pending, null);
					break;
				}
				try {
					if (!pending.isDone()) {
						writeGroup();
					}
				}
				finally {
					this.writer.unlock();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			giveUp(pending, ex);
		}
		pending.throwIfFailed();
	}

	/** How many events wait for a writer to take them. */
	int waiting() {
		return this.waiting.size();
	}

	/**
	 * Leaves the event unwritten if no writer has taken it yet; otherwise waits for the writer that has, whose
	 * transaction ends within its own timeouts.
	 */
	private void giveUp(Pending pending, InterruptedException interrupted) {
		if (this.waiting.remove(pending)) {
			pending.fail(new IllegalStateException((interrupted != null) ? "Interrupted while waiting to append"
					: "The audit log took more than " + this.turnMillis + " ms to take its turn", interrupted));
			return;
		}
		pending.awaitWriter();
	}

	private void writeGroup() {
		List<Pending> group = new ArrayList<>();
		Pending next;
		while (group.size() < MAX_GROUP && (next = this.waiting.poll()) != null) {
			group.add(next);
		}
		if (group.isEmpty()) {
			return;
		}
		try {
			commit(group);
		}
		catch (DataIntegrityViolationException ex) {
			if (group.size() == 1) {
				group.get(0).fail(ex);
				return;
			}
			// an event the database refuses (a field too long, say) must not take the others with it
			for (Pending pending : group) {
				try {
					commit(List.of(pending));
				}
				catch (RuntimeException alone) {
					pending.fail(alone);
				}
			}
		}
		catch (RuntimeException ex) {
			group.forEach((pending) -> pending.fail(ex));
		}
	}

	private void commit(List<Pending> group) {
		this.transactions.executeWithoutResult(
				(status) -> this.events.appendAll(group.stream().map(Pending::event).toList()));
		group.forEach(Pending::succeed);
	}

	/** An event waiting to be appended, and how its append ended. */
	private static final class Pending {

		private final NewAuditEvent event;

		private final CountDownLatch done = new CountDownLatch(1);

		private volatile RuntimeException failure;

		Pending(NewAuditEvent event) {
			this.event = event;
		}

		NewAuditEvent event() {
			return this.event;
		}

		boolean isDone() {
			return this.done.getCount() == 0;
		}

		void succeed() {
			this.done.countDown();
		}

		void fail(RuntimeException ex) {
			this.failure = ex;
			this.done.countDown();
		}

		void awaitWriter() {
			boolean interrupted = false;
			while (true) {
				try {
					this.done.await();
					break;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}

		void throwIfFailed() {
			if (this.failure != null) {
				throw new AuditGroupCommitException(this.failure);
			}
		}

	}

	/** Why an event appended in a group was not committed: the failure of its group's transaction, as cause. */
	public static final class AuditGroupCommitException extends RuntimeException {

		AuditGroupCommitException(RuntimeException cause) {
			super("The audit event could not be committed: " + cause.getMessage(), cause);
		}

	}

}
