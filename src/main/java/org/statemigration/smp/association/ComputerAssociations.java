package org.statemigration.smp.association;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.statemigration.smp.association.internal.AssociationRepository;
import org.statemigration.smp.association.internal.AssociationRepository.WrappedKeyAndAccounts;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.problem.InvalidStateException;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, finds and deletes computer associations, and generates each one's encryption key.
 */
@Service
public class ComputerAssociations {

	public static final int MAX_PAGE_SIZE = 500;

	static final String KEY_ALGORITHM = "AES_256";

	private static final int MAX_NOTES = 1000;

	private final AssociationRepository associations;

	private final Computers computers;

	private final ComputerIdentities identities;

	private final KeyEncryptionKeys keys;

	private final ApplicationEventPublisher events;

	private final AuditLog audit;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	public ComputerAssociations(AssociationRepository associations, Computers computers,
			ComputerIdentities identities, KeyEncryptionKeys keys, ApplicationEventPublisher events, AuditLog audit,
			Clock clock) {
		this.associations = associations;
		this.computers = computers;
		this.identities = identities;
		this.keys = keys;
		this.events = events;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Creates an association, registering unknown computers.
	 * @throws DuplicateAssociationException if a mode forbids another association for the source computer
	 * @throws ComputerIdentityConflictException if a given SMBIOS UUID or MAC address is another computer's, or a
	 * UUID contradicts the computer's
	 */
	@Transactional
	public ComputerAssociation create(NewAssociation request, String createdBy) {
		Computers.validName(request.sourceComputer(), "sourceComputer");
		Computers.validName(request.destinationComputer(), "destinationComputer");
		UserAccounts accounts = ((request.userAccounts() != null) ? request.userAccounts() : new UserAccounts(null, null))
			.validated();
		if (request.notes() != null && request.notes().length() > MAX_NOTES) {
			throw new ValidationException("notes must be at most " + MAX_NOTES + " characters");
		}
		ComputerIdentity sourceIdentity = request.sourceIdentity();
		ComputerIdentity destinationIdentity = request.destinationIdentity();
		Computer source = this.computers.register(request.sourceComputer());
		Computer destination = this.computers.register(request.destinationComputer());
		this.identities.add(source, sourceIdentity);
		this.identities.add(destination, destinationIdentity);
		this.computers.lock(source.id());
		checkNoDuplicate(source, accounts.mode());
		UUID id = UUID.randomUUID();
		byte[] wrapped = newWrappedKey(id);
		MigrationType type = source.id().equals(destination.id()) ? MigrationType.IN_PLACE : MigrationType.SIDE_BY_SIDE;
		this.associations.insert(id, source.id(), destination.id(), type, accounts, request.notes(), wrapped,
				KEY_ALGORITHM, createdBy, this.clock.instant());
		this.audit.recordAs(createdBy, "association.create", id.toString(), AuditOutcome.SUCCESS,
				"source=" + source.name() + " destination=" + destination.name() + " type=" + type + " userAccountMode="
						+ accounts.mode());
		return get(id);
	}

	private void checkNoDuplicate(Computer source, UserAccountMode mode) {
		List<UserAccountMode> existing = this.associations.liveModesForSource(source.id());
		if (existing.isEmpty()) {
			return;
		}
		boolean allowed = mode.allowsSeveralAssociationsPerSource()
				&& existing.stream().allMatch(UserAccountMode::allowsSeveralAssociationsPerSource);
		if (!allowed) {
			throw new DuplicateAssociationException("Computer " + source.name()
					+ " is already the source of an association, and only the CAPTURE_ALL modes allow several");
		}
	}

	@Transactional(readOnly = true)
	public ComputerAssociation get(UUID id) {
		return this.associations.find(id).orElseThrow(() -> new AssociationNotFoundException(id));
	}

	@Transactional(readOnly = true)
	public AssociationPage search(AssociationState state, String computer, int page, int size) {
		if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
			throw new ValidationException("page must be >= 0 and size 1-" + MAX_PAGE_SIZE);
		}
		String computerKey = computerKey(computer);
		List<ComputerAssociation> items = this.associations.search(state, computerKey, (long) page * size, size);
		return new AssociationPage(items, page, size, this.associations.count(state, computerKey));
	}

	/**
	 * The associations that {@link #search} finds with the same filters, in the same order, after the one given
	 * (from the first when null): one page of a walk through all of them, each in a short transaction of its own,
	 * for reports that go through every association without holding them all.
	 */
	@Transactional(readOnly = true)
	public List<ComputerAssociation> searchAfter(AssociationState state, String computer, ComputerAssociation after,
			int size) {
		if (size < 1 || size > MAX_PAGE_SIZE) {
			throw new ValidationException("size must be 1-" + MAX_PAGE_SIZE);
		}
		return this.associations.searchAfter(state, computerKey(computer), (after != null) ? after.createdAt() : null,
				(after != null) ? after.id() : null, size);
	}

	/** Whether the association is one that {@link #search} finds with these filters. */
	public static boolean matches(ComputerAssociation association, AssociationState state, String computer) {
		String key = computerKey(computer);
		return (state == null || association.state() == state) && (key == null
				|| key.equals(association.sourceComputer().toLowerCase(Locale.ROOT))
				|| key.equals(association.destinationComputer().toLowerCase(Locale.ROOT)));
	}

	private static String computerKey(String computer) {
		return (computer != null && !computer.isBlank()) ? computer.toLowerCase(Locale.ROOT) : null;
	}

	/**
	 * Deletes the association and, through {@link AssociationDeleted}, its data. An association under legal hold is
	 * never deleted.
	 * @param force also when captured data has not been restored yet
	 */
	@Transactional
	public void delete(UUID id, boolean force, String deletedBy) {
		this.associations.lock(id).orElseThrow(() -> new AssociationNotFoundException(id));
		ComputerAssociation association = get(id);
		if (association.legalHold()) {
			// not even with force: a hold is there precisely so that nobody deletes the data by mistake
			throw new InvalidStateException("The association is under legal hold; an ADMIN must lift the hold first");
		}
		if (association.holdsUnrestoredData() && !force) {
			throw new InvalidStateException(
					"The association holds captured data that has not been restored; delete with force=true to discard it");
		}
		// fail-closed: no record, no deletion
		this.audit.recordAs(deletedBy, "association.delete", id.toString(), AuditOutcome.SUCCESS,
				"state=" + association.state() + " force=" + force);
		this.events.publishEvent(new AssociationDeleted(id, deletedBy));
		this.associations.delete(id);
	}

	/** The association's parties and state, read without locking. */
	@Transactional(readOnly = true)
	public AssociationParties parties(UUID id) {
		return this.associations.row(id).orElseThrow(() -> new AssociationNotFoundException(id));
	}

	/** The association's encryption key: a secret for the client's tokens and recovery viewers only. */
	@Transactional(readOnly = true)
	public EncryptionKey encryptionKey(UUID id) {
		return unwrap(id, this.associations.wrappedKey(id));
	}

	/** The association's encryption key and user accounts, read in one statement, for a computer's grant. */
	@Transactional(readOnly = true)
	public KeyAndAccounts keyAndAccounts(UUID id) {
		WrappedKeyAndAccounts row = this.associations.wrappedKeyAndAccounts(id)
			.orElseThrow(() -> new AssociationNotFoundException(id));
		return new KeyAndAccounts(unwrap(id, row.wrappedKey()), row.userAccounts());
	}

	private EncryptionKey unwrap(UUID id, byte[] wrapped) {
		byte[] key = this.keys.unwrap(wrapped, keyContext(id));
		try {
			return new EncryptionKey(new String(key, StandardCharsets.US_ASCII), KEY_ALGORITHM);
		}
		finally {
			Arrays.fill(key, (byte) 0);
		}
	}

	/** A new encryption key for the association, wrapped by the master key. */
	byte[] newWrappedKey(UUID id) {
		byte[] key = new byte[32];
		this.random.nextBytes(key);
		byte[] hexKey = HexFormat.of().formatHex(key).getBytes(StandardCharsets.US_ASCII);
		try {
			return this.keys.wrap(hexKey, keyContext(id));
		}
		finally {
			Arrays.fill(key, (byte) 0);
			Arrays.fill(hexKey, (byte) 0);
		}
	}

	static String keyContext(UUID id) {
		return "association-key:" + id;
	}

}
