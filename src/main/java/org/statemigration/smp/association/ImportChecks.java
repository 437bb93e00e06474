package org.statemigration.smp.association;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.statemigration.smp.association.internal.ImportRepository.KnownComputer;

/**
 * The checks of a bulk import that involve more than one line: the rules of creating associations (one per
 * source unless every one of them captures all) and of computers' identities (a SMBIOS UUID or MAC address for
 * one computer only, one UUID per computer, at most eight addresses), within the file and against the database.
 * A line gets its first error only.
 */
final class ImportChecks {

	private final ImportFile file;

	/** What the file gives each computer, by name key: its UUID and the line that gave it, and its addresses. */
	private final Map<String, Given> given = new LinkedHashMap<>();

	ImportChecks(ImportFile file) {
		this.file = file;
	}

	void withinTheFile() {
		Map<String, ImportLine> firstAsSource = new HashMap<>();
		Map<String, Boolean> allCaptureAll = new HashMap<>();
		Map<UUID, String> guidHolder = new HashMap<>();
		Map<String, String> macHolder = new HashMap<>();
		for (ImportLine line : this.file.lines) {
			String source = line.sourceKey();
			boolean captureAll = line.accounts().mode().allowsSeveralAssociationsPerSource();
			ImportLine first = firstAsSource.putIfAbsent(source, line);
			if (first != null && !(captureAll && allCaptureAll.get(source))) {
				error(line, "sourceComputer " + line.source() + " is also the source on line " + first.line()
						+ ", and only the CAPTURE_ALL modes allow several associations for one source");
			}
			allCaptureAll.merge(source, captureAll, Boolean::logicalAnd);
			give(line, line.source(), line.sourceIdentity(), "source", guidHolder, macHolder);
			give(line, line.destination(), line.destinationIdentity(), "destination", guidHolder, macHolder);
		}
	}

	private void give(ImportLine line, String name, ComputerIdentity identity, String side,
			Map<UUID, String> guidHolder, Map<String, String> macHolder) {
		String key = Computers.key(name);
		Given computer = this.given.computeIfAbsent(key, (k) -> new Given(name));
		UUID guid = identity.smbiosGuid();
		if (guid != null) {
			if (computer.guid != null && !computer.guid.equals(guid)) {
				error(line, side + "SmbiosGuid of " + name + " is " + computer.guid + " on line "
						+ computer.guidLine.line());
				return;
			}
			String holder = guidHolder.putIfAbsent(guid, name);
			if (holder != null && !Computers.key(holder).equals(key)) {
				error(line, side + "SmbiosGuid " + guid + " is also given to computer " + holder
						+ " in the file");
				return;
			}
			if (computer.guid == null) {
				computer.guid = guid;
				computer.guidLine = line;
			}
		}
		for (String mac : identity.macAddresses()) {
			String holder = macHolder.putIfAbsent(mac, name);
			if (holder != null && !Computers.key(holder).equals(key)) {
				error(line, side + "MacAddresses " + mac + " is also given to computer " + holder + " in the file");
				return;
			}
			computer.macs.add(mac);
			computer.macLines.putIfAbsent(mac, line);
		}
	}

	Set<String> nameKeys() {
		Set<String> keys = new LinkedHashSet<>();
		for (ImportLine line : this.file.lines) {
			keys.add(line.sourceKey());
			keys.add(line.destinationKey());
		}
		return keys;
	}

	Set<String> sourceKeys() {
		Set<String> keys = new LinkedHashSet<>();
		this.file.lines.forEach((line) -> keys.add(line.sourceKey()));
		return keys;
	}

	List<UUID> smbiosGuids() {
		return this.given.values().stream().map((g) -> g.guid).filter((g) -> g != null).toList();
	}

	List<String> macAddresses() {
		return this.given.values().stream().flatMap((g) -> g.macs.stream()).toList();
	}

	/**
	 * @param known the known computers of the file, by name key
	 * @param liveModes the modes of the associations of which known computers are the source
	 * @param guidHolders the name of the known computer of each UUID of the file
	 * @param macHolders the name of the known computer of each address of the file
	 */
	void againstTheDatabase(Map<String, KnownComputer> known, Map<UUID, List<UserAccountMode>> liveModes,
			Map<UUID, String> guidHolders, Map<String, String> macHolders) {
		for (ImportLine line : this.file.lines) {
			KnownComputer source = known.get(line.sourceKey());
			List<UserAccountMode> existing = (source != null) ? liveModes.getOrDefault(source.id(), List.of())
					: List.of();
			if (!existing.isEmpty() && !(line.accounts().mode().allowsSeveralAssociationsPerSource()
					&& existing.stream().allMatch(UserAccountMode::allowsSeveralAssociationsPerSource))) {
				error(line, "computer " + source.name() + " is already the source of an association, and only the "
						+ "CAPTURE_ALL modes allow several");
			}
		}
		this.given.forEach((key, computer) -> {
			KnownComputer existing = known.get(key);
			if (computer.guid != null) {
				ImportLine line = computer.guidLine;
				if (existing != null && existing.smbiosGuid() != null && !existing.smbiosGuid().equals(computer.guid)) {
					error(line, "computer " + existing.name() + " has the SMBIOS UUID " + existing.smbiosGuid()
							+ ", not " + computer.guid);
				}
				String holder = guidHolders.get(computer.guid);
				if (holder != null && !Computers.key(holder).equals(key)) {
					error(line, "the SMBIOS UUID " + computer.guid + " belongs to computer " + holder);
				}
			}
			for (String mac : computer.macs) {
				String holder = macHolders.get(mac);
				if (holder != null && !Computers.key(holder).equals(key)) {
					error(computer.macLines.get(mac), "the MAC address " + mac + " belongs to computer " + holder);
				}
			}
			Set<String> all = new LinkedHashSet<>((existing != null) ? existing.macAddresses() : List.of());
			all.addAll(computer.macs);
			if (all.size() > ComputerIdentity.MAX_MAC_ADDRESSES) {
				error(computer.macLines.values().iterator().next(), "computer " + computer.name + " would have more than "
						+ ComputerIdentity.MAX_MAC_ADDRESSES + " MAC addresses");
			}
		});
	}

	/**
	 * The computers whose identity the file changes, with their whole new identity, and the rows of the
	 * addresses they gain ({@code mac_address, computer_id}).
	 */
	List<KnownComputer> identities(Map<String, KnownComputer> computers, List<Object[]> addedMacs) {
		List<KnownComputer> changed = new ArrayList<>();
		this.given.forEach((key, computer) -> {
			KnownComputer current = computers.get(key);
			UUID guid = (current.smbiosGuid() != null) ? current.smbiosGuid() : computer.guid;
			Set<String> macs = new LinkedHashSet<>(current.macAddresses());
			for (String mac : computer.macs) {
				if (macs.add(mac)) {
					addedMacs.add(new Object[] { mac, current.id() });
				}
			}
			if (!Objects.equals(guid, current.smbiosGuid()) || macs.size() != current.macAddresses().size()) {
				changed.add(new KnownComputer(current.id(), current.name(), key, guid, new ArrayList<>(macs)));
			}
		});
		return changed;
	}

	private void error(ImportLine line, String message) {
		this.file.errors.putIfAbsent(line.line(), message);
	}

	/** What the file gives one computer. */
	private static final class Given {

		final String name;

		Given(String name) {
			this.name = name;
		}

		UUID guid;

		ImportLine guidLine;

		final Set<String> macs = new LinkedHashSet<>();

		final Map<String, ImportLine> macLines = new LinkedHashMap<>();

	}

}
