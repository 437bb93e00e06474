package org.statemigration.smp.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.statemigration.smp.admin.internal.OperatorRepository;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.problem.InvalidStateException;
import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, lists and changes operator accounts. Usernames are ASCII letters, digits and {@code . _ @ -} (so never a
 * control character) and unique regardless of case, in the database too. Passwords are checked for length and stored hashed; the last
 * enabled administrator cannot be disabled or lose the {@link Role#ADMIN} role, so the server never locks its
 * operators out.
 */
@Service
public class OperatorAccounts {

	static final int MIN_PASSWORD_LENGTH = 12;

	private static final int MAX_PASSWORD_LENGTH = 200;

	private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

	private final OperatorRepository operators;

	private final PasswordEncoder passwordEncoder;

	private final AuditLog audit;

	private final Clock clock;

	public OperatorAccounts(OperatorRepository operators, PasswordEncoder passwordEncoder, AuditLog audit,
			Clock clock) {
		this.operators = operators;
		this.passwordEncoder = passwordEncoder;
		this.audit = audit;
		this.clock = clock;
	}

	@Transactional
	public Operator create(String username, String password, Set<Role> roles, Boolean enabled) {
		if (username == null || !USERNAME.matcher(username).matches()) {
			throw new ValidationException("username must be 1-100 letters, digits or . _ @ -");
		}
		checkPassword(password);
		Set<Role> checkedRoles = checkRoles(roles);
		if (this.operators.exists(username)) {
			throw alreadyExists(username);
		}
		Instant now = this.clock.instant();
		try {
			this.operators.insert(username, this.passwordEncoder.encode(password), checkedRoles,
					enabled == null || enabled, now);
		}
		catch (DuplicateKeyException ex) {
			// the same name, in some case, was created at the same moment
			throw alreadyExists(username);
		}
		this.audit.record("operator.create", username, AuditOutcome.SUCCESS,
				"roles=" + checkedRoles + " enabled=" + (enabled == null || enabled));
		return get(username);
	}

	/** Creates the account unless any operator exists; true if it was created. */
	@Transactional
	public boolean createIfNoneExist(String username, String password, Set<Role> roles) {
		if (this.operators.count() > 0) {
			return false;
		}
		return this.operators.insertIfAbsent(username, this.passwordEncoder.encode(password), roles,
				this.clock.instant());
	}

	@Transactional(readOnly = true)
	public List<Operator> list() {
		return this.operators.findAll();
	}

	@Transactional(readOnly = true)
	public Operator get(String username) {
		return this.operators.find(username)
			.orElseThrow(() -> new NotFoundException("No operator named " + username));
	}

	/**
	 * Changes what is given (null leaves it as it is).
	 */
	@Transactional
	public Operator update(String username, String password, Set<Role> roles, Boolean enabled) {
		long enabledAdmins = this.operators.lockAndCountEnabledAdmins();
		Operator current = this.operators.findForUpdate(username)
			.orElseThrow(() -> new NotFoundException("No operator named " + username));
		if (password != null) {
			checkPassword(password);
		}
		Set<Role> newRoles = (roles != null) ? checkRoles(roles) : current.roles();
		boolean newEnabled = (enabled != null) ? enabled : current.enabled();
		boolean losesAdmin = current.enabled() && current.roles().contains(Role.ADMIN)
				&& (!newEnabled || !newRoles.contains(Role.ADMIN));
		if (losesAdmin && enabledAdmins <= 1) {
			throw new InvalidStateException("The last enabled administrator cannot be disabled or lose ADMIN");
		}
		String hash = (password != null) ? this.passwordEncoder.encode(password) : null;
		this.operators.update(username, hash, newRoles, newEnabled, this.clock.instant());
		// never the password itself, only that it changed
		this.audit.record("operator.update", username, AuditOutcome.SUCCESS, "roles=" + newRoles + " enabled="
				+ newEnabled + " passwordChanged=" + (password != null));
		return get(username);
	}

	private static InvalidStateException alreadyExists(String username) {
		return new InvalidStateException("An operator named " + username + " (in any case) already exists");
	}

	private static void checkPassword(String password) {
		if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
			throw new ValidationException(
					"password must be " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH + " characters");
		}
	}

	private static Set<Role> checkRoles(Set<Role> roles) {
		if (roles == null || roles.isEmpty()) {
			throw new ValidationException("roles must name at least one role");
		}
		return EnumSet.copyOf(roles);
	}

}
