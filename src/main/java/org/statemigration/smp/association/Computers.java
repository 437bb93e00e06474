package org.statemigration.smp.association;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.statemigration.smp.association.internal.ComputerRepository;
import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The computers the server knows, by name (unique regardless of case).
 */
@Service
public class Computers {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9-]{1,63}");

	private final ComputerRepository computers;

	private final Clock clock;

	public Computers(ComputerRepository computers, Clock clock) {
		this.computers = computers;
		this.clock = clock;
	}

	/** Checks a computer name against the contract: 1-63 letters, digits or hyphens. */
	public static String validName(String name, String field) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new ValidationException(field + " must be 1-63 letters, digits or hyphens");
		}
		return name;
	}

	/** The computer of that name, registering it if it is new. */
	@Transactional
	public Computer register(String name) {
		validName(name, "computer name");
		return this.computers.findByName(key(name))
			.orElseGet(() -> this.computers.insertIfAbsent(UUID.randomUUID(), name, key(name), this.clock.instant()));
	}

	@Transactional(readOnly = true)
	public Optional<Computer> find(String name) {
		if (name == null || !NAME.matcher(name).matches()) {
			return Optional.empty();
		}
		return this.computers.findByName(key(name));
	}

	@Transactional(readOnly = true)
	public Computer get(String name) {
		return find(name).orElseThrow(() -> new NotFoundException("No computer named " + name));
	}

	@Transactional(readOnly = true)
	public Computer get(UUID id) {
		return this.computers.findById(id).orElseThrow(() -> new NotFoundException("No computer " + id));
	}

	/** Locks the computer for the rest of the transaction: serializes association changes for one source. */
	void lock(UUID id) {
		this.computers.lock(id);
	}

	/** Computers whose name contains the given text (any case), or all when it is blank. */
	@Transactional(readOnly = true)
	public List<Computer> search(String nameContains, int limit) {
		String filter = (nameContains == null) ? "" : nameContains.toLowerCase(Locale.ROOT);
		return this.computers.search(filter, limit);
	}

	static String key(String name) {
		return name.toLowerCase(Locale.ROOT);
	}

}
