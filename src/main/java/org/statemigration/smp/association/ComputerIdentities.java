package org.statemigration.smp.association;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.statemigration.smp.association.internal.ComputerRepository;
import org.statemigration.smp.association.internal.ComputerRepository.MacOwner;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Computers' SMBIOS UUIDs and MAC addresses: operators set them, associations add to them, and a computer that
 * enrolls or asks for its status is recognised by them when its name changed. A UUID or an address belongs to one
 * computer at most; recognising a computer never makes it another one (see {@link #recognise}).
 */
@Service
public class ComputerIdentities {

	private final ComputerRepository computers;

	private final AuditLog audit;

	public ComputerIdentities(ComputerRepository computers, AuditLog audit) {
		this.computers = computers;
		this.audit = audit;
	}

	/**
	 * Replaces the computer's SMBIOS UUID and MAC addresses with the given ones (none clears them).
	 * @throws ComputerIdentityConflictException if another computer holds the UUID or an address
	 */
	@Transactional
	public Computer replace(String name, ComputerIdentity identity, String changedBy) {
		Computer computer = this.computers.findByName(Computers.key(name))
			.orElseThrow(() -> new NotFoundException("No computer named " + name));
		this.computers.lock(computer.id());
		checkHeldByNoOther(computer, identity);
		this.computers.storeIdentity(computer.id(), identity);
		this.audit.recordAs(changedBy, "computer.identity", computer.name(), AuditOutcome.SUCCESS,
				"smbiosGuid=" + identity.smbiosGuid() + " macAddresses=" + identity.macAddresses());
		return this.computers.findById(computer.id()).orElseThrow();
	}

	/**
	 * Adds what an operator gave with an association to what is known of the computer. A UUID that differs from
	 * the recorded one is refused, not replaced: replacing is {@link #replace}'s, on purpose.
	 * @throws ComputerIdentityConflictException if the UUID contradicts the computer's, or another computer holds
	 * the UUID or an address
	 */
	@Transactional
	public Computer add(Computer computer, ComputerIdentity given) {
		if (given.isEmpty()) {
			return computer;
		}
		Computer current = this.computers.findById(computer.id()).orElseThrow();
		if (given.smbiosGuid() != null && current.smbiosGuid() != null
				&& !given.smbiosGuid().equals(current.smbiosGuid())) {
			throw new ComputerIdentityConflictException("Computer " + current.name() + " has the SMBIOS UUID "
					+ current.smbiosGuid() + ", not " + given.smbiosGuid()
					+ "; an operator replaces it through the computer's identity");
		}
		checkHeldByNoOther(current, given);
		Set<String> macs = new LinkedHashSet<>(current.macAddresses());
		macs.addAll(given.macAddresses());
		if (macs.size() > ComputerIdentity.MAX_MAC_ADDRESSES) {
			throw new ValidationException("Computer " + current.name() + " would have more than "
					+ ComputerIdentity.MAX_MAC_ADDRESSES + " MAC addresses");
		}
		UUID guid = (current.smbiosGuid() != null) ? current.smbiosGuid() : given.smbiosGuid();
		this.computers.storeIdentity(current.id(), new ComputerIdentity(guid, new ArrayList<>(macs)));
		return this.computers.findById(current.id()).orElseThrow();
	}

	/**
	 * How a computer known by its enrollment code or certificate is recognised from what it presents of itself,
	 * or empty when nothing it presented ties it to the record (no name, or a name the server does not know, and
	 * no UUID or address of the record). This only ever confirms or refuses the computer that the code or the
	 * certificate names: it never picks another one.
	 * @throws ComputerIdentityConflictException if the presented UUID is not the computer's (or is another
	 * computer's), or the presented name is another known computer's and nothing else ties it to this one
	 */
	@Transactional(readOnly = true)
	public Optional<IdentityMatch> recognise(UUID computerId, String presentedName, ComputerIdentity presented) {
		Computer computer = this.computers.findById(computerId).orElseThrow();
		UUID guid = presented.smbiosGuid();
		if (guid != null && computer.smbiosGuid() != null && !guid.equals(computer.smbiosGuid())) {
			throw new ComputerIdentityConflictException(
					"The SMBIOS UUID presented is not the one recorded for computer " + computer.name());
		}
		if (guid != null && computer.smbiosGuid() == null && this.computers.findBySmbiosGuid(guid).isPresent()) {
			throw new ComputerIdentityConflictException("The SMBIOS UUID presented belongs to another computer");
		}
		if (presentedName != null && presentedName.equalsIgnoreCase(computer.name())) {
			return Optional.of(IdentityMatch.NAME);
		}
		if (guid != null && guid.equals(computer.smbiosGuid())) {
			return Optional.of(IdentityMatch.SMBIOS_GUID);
		}
		if (presented.macAddresses().stream().anyMatch(computer.macAddresses()::contains)) {
			return Optional.of(IdentityMatch.MAC_ADDRESS);
		}
		if (presentedName != null && this.computers.findByName(Computers.key(presentedName)).isPresent()) {
			throw new ComputerIdentityConflictException("The computer calls itself " + presentedName
					+ ", another computer known to the server, and nothing of its identity is that of computer "
					+ computer.name());
		}
		return Optional.empty();
	}

	/**
	 * Records what an enrolled computer presented of itself where the record has nothing yet: the UUID when none
	 * is recorded, and the addresses that no other computer holds, up to the limit. An address already another
	 * computer's (a docking station's adapter moves between laptops) is left out, not refused.
	 * @return what was recorded
	 */
	@Transactional
	public ComputerIdentity learn(UUID computerId, ComputerIdentity presented) {
		Computer computer = this.computers.findById(computerId).orElseThrow();
		UUID guid = (computer.smbiosGuid() == null && presented.smbiosGuid() != null
				&& this.computers.findBySmbiosGuid(presented.smbiosGuid()).isEmpty()) ? presented.smbiosGuid() : null;
		Map<String, MacOwner> owners = this.computers.ownersOf(presented.macAddresses());
		Set<String> macs = new LinkedHashSet<>(computer.macAddresses());
		List<String> added = new ArrayList<>();
		for (String mac : presented.macAddresses()) {
			if (!owners.containsKey(mac) && macs.size() < ComputerIdentity.MAX_MAC_ADDRESSES && macs.add(mac)) {
				added.add(mac);
			}
		}
		if (guid != null || !added.isEmpty()) {
			this.computers.storeIdentity(computerId,
					new ComputerIdentity((guid != null) ? guid : computer.smbiosGuid(), new ArrayList<>(macs)));
		}
		return new ComputerIdentity(guid, added);
	}

	/** Refuses an identity of which another computer holds the UUID or an address. */
	private void checkHeldByNoOther(Computer computer, ComputerIdentity identity) {
		if (identity.smbiosGuid() != null) {
			this.computers.findBySmbiosGuid(identity.smbiosGuid())
				.filter((other) -> !other.id().equals(computer.id()))
				.ifPresent((other) -> {
					throw new ComputerIdentityConflictException("The SMBIOS UUID " + identity.smbiosGuid()
							+ " belongs to computer " + other.name());
				});
		}
		for (MacOwner owner : this.computers.ownersOf(identity.macAddresses()).values()) {
			if (!owner.computerId().equals(computer.id())) {
				throw new ComputerIdentityConflictException("The MAC address " + owner.macAddress()
						+ " belongs to computer " + owner.computerName());
			}
		}
	}

}
