package org.statemigration.smp.association;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.statemigration.smp.association.internal.AssociationRepository;
import org.statemigration.smp.association.internal.AssociationRetentionRepository;
import org.statemigration.smp.problem.InvalidStateException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The state machine of an association as the management point drives it: which association a computer's request
 * is about, and the transitions of capture and restore. Every transition locks the association's row, so
 * concurrent requests see each other's changes.
 */
@Service
public class AssociationLifecycle {

	// how many associations a refusal names with their states
	private static final int MAX_NAMED = 5;

	private final AssociationRepository associations;

	private final AssociationRetentionRepository retention;

	private final Clock clock;

	public AssociationLifecycle(AssociationRepository associations, AssociationRetentionRepository retention,
			Clock clock) {
		this.associations = associations;
		this.retention = retention;
		this.clock = clock;
	}

	/**
	 * Picks the association this source computer captures for, one not yet captured first, oldest first, and moves
	 * it to CAPTURING. The computer's associations are locked as they are read, so the choice is made on their
	 * current states.
	 * @return the association, CAPTURING
	 * @throws NoAssociationException if the computer is the source of none
	 * @throws InvalidStateException if none of them allows a capture now
	 */
	@Transactional
	public AssociationParties beginCapture(UUID computerId) {
		AssociationParties association = select(this.associations.lockForComputer(computerId, true),
				AssociationState::allowsCapture, AssociationState.CAPTURED, "source", "capture");
		this.associations.updateState(association.id(), AssociationState.CAPTURING, now());
		return new AssociationParties(association.id(), association.sourceComputerId(),
				association.destinationComputerId(), AssociationState.CAPTURING, association.hasData(),
				association.legalHold());
	}

	/**
	 * The association this destination computer restores from: one not yet restored first, oldest first.
	 * @throws NothingCapturedException if none of its associations has been captured yet
	 */
	@Transactional(readOnly = true)
	public AssociationParties selectForRestore(UUID computerId) {
		List<AssociationParties> candidates = this.associations.forComputer(computerId, false);
		boolean nothingCaptured = !candidates.isEmpty() && candidates.stream()
			.allMatch((a) -> !a.hasData()
					&& (a.state() == AssociationState.CREATED || a.state() == AssociationState.CAPTURING));
		if (nothingCaptured) {
			throw new NothingCapturedException("Nothing has been captured for this computer yet");
		}
		return select(candidates, AssociationState::allowsRestore, AssociationState.RESTORED, "destination",
				"restore");
	}

	private static AssociationParties select(List<AssociationParties> candidates,
			Predicate<AssociationState> allowed, AssociationState doneAlready, String role,
			String operation) {
		if (candidates.isEmpty()) {
			throw new NoAssociationException("This computer is the " + role + " of no association");
		}
		return candidates.stream()
			.filter((a) -> allowed.test(a.state()))
			.min(Comparator.comparing((AssociationParties a) -> a.state() == doneAlready))
			.orElseThrow(() -> new InvalidStateException(notAllowed(candidates, allowed, operation)));
	}

	/**
	 * Why no association takes the operation, naming each one's state and the states it would need, and what to
	 * do, e.g. {@code Association 5f0c... is RESTORED (its data has been restored); a capture needs one that is
	 * CREATED, CAPTURING or CAPTURED: an operator creates a new association for another capture of this computer}.
	 */
	private static String notAllowed(List<AssociationParties> candidates, Predicate<AssociationState> allowed,
			String operation) {
		List<String> states = candidates.stream()
			.limit(MAX_NAMED)
			.map((a) -> a.id() + " is " + a.state() + " (" + meaning(a.state()) + ")")
			.toList();
		String which = (candidates.size() == 1) ? "Association " + states.get(0)
				: "None of this computer's associations allows a " + operation + ": " + String.join(", ", states)
						+ ((candidates.size() > MAX_NAMED) ? " and " + (candidates.size() - MAX_NAMED) + " more" : "");
		List<String> needed = Arrays.stream(AssociationState.values()).filter(allowed).map(Enum::name).toList();
		String need = String.join(", ", needed.subList(0, needed.size() - 1)) + " or " + needed.get(needed.size() - 1);
		boolean capturing = candidates.stream().anyMatch((a) -> a.state() == AssociationState.CAPTURING);
		String todo = operation.equals("capture")
				? ": an operator creates a new association for another capture of this computer"
				: capturing ? ": try again once the capture under way is released" : "";
		return which + "; a " + operation + " needs one that is " + need + todo;
	}

	private static String meaning(AssociationState state) {
		return switch (state) {
			case CREATED -> "nothing captured yet";
			case CAPTURING -> "a capture is under way";
			case CAPTURED -> "captured, not restored yet";
			case RESTORING -> "a restore is under way";
			case RESTORED -> "its data has been restored";
			case DELETED -> "its data has been deleted";
		};
	}

	/**
	 * Records the size and digest of newly stored data. Call it in the transaction that commits the store.
	 */
	@Transactional
	public void recordCapturedData(UUID id, long sizeBytes, String sha256Hex) {
		AssociationParties association = lock(id);
		if (association.state() != AssociationState.CAPTURING) {
			throw new InvalidStateException("The association is no longer capturing");
		}
		this.associations.recordCapturedData(id, sizeBytes, sha256Hex, now());
	}

	@Transactional
	public void completeCapture(UUID id) {
		AssociationParties association = lock(id);
		if (association.state() != AssociationState.CAPTURING || !association.hasData()) {
			throw new InvalidStateException("Nothing has been captured to release");
		}
		this.associations.updateState(id, AssociationState.CAPTURED, now());
	}

	@Transactional
	public void beginRestore(UUID id) {
		AssociationParties association = lock(id);
		if (!association.state().allowsRestore()) {
			throw new InvalidStateException("A restore is not allowed in state " + association.state());
		}
		this.associations.updateState(id, AssociationState.RESTORING, now());
	}

	/** Marks the restore confirmed; the data is deleted {@code deleteAfter} from now. */
	@Transactional
	public Instant completeRestore(UUID id, Duration deleteAfter) {
		AssociationParties association = lock(id);
		if (association.state() != AssociationState.RESTORING) {
			throw new InvalidStateException("The association is not being restored");
		}
		Instant now = now();
		Instant deleteAt = now.plus(deleteAfter);
		this.associations.recordRestore(id, now, deleteAt);
		return deleteAt;
	}

	/**
	 * Marks a restored association's data deleted ({@code DELETED}, with the time): call it in the transaction
	 * that destroyed the data. The record stays until it ages out or an operator deletes it.
	 * @throws InvalidStateException if the association is not {@code RESTORED} or is under legal hold
	 */
	@Transactional
	public void markDataDeleted(UUID id) {
		AssociationParties association = lock(id);
		if (association.state() != AssociationState.RESTORED || association.legalHold()) {
			throw new InvalidStateException("Only the data of a restored association without legal hold is deleted");
		}
		this.retention.markDataDeleted(id, now());
	}

	private AssociationParties lock(UUID id) {
		return this.associations.lock(id).orElseThrow(() -> new AssociationNotFoundException(id));
	}

	private Instant now() {
		return this.clock.instant();
	}

}
