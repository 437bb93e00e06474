package org.statemigration.smp.admin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.statemigration.smp.admin.internal.InitialPasswordFile;
import org.statemigration.smp.admin.internal.OperatorRepository;
import org.statemigration.smp.admin.internal.SignInLockout;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.problem.InvalidStateException;
import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates, lists and changes operator accounts. Usernames are ASCII letters, digits and {@code . _ @ -} (so never a
 * control character) and unique regardless of case, in the database too. Passwords are 12-200 characters, never
 * the username (in any case), and stored hashed; the last enabled administrator cannot be disabled or lose the
 * {@link Role#ADMIN} role, so the server never locks its operators out.
 * <p>
 * An operator changes their own password with the current one; a wrong current password counts as a failed
 * sign-in towards the lockout. An administrator resets another operator's password to a temporary one, which that
 * operator must change before doing anything else ({@link #PASSWORD_CHANGE_AUTHORITY}). Every change ends the
 * operator's console sessions ({@link OperatorPasswordChanged}) and is audited, never with the password.
 */
@Service
public class OperatorAccounts {

	/**
	 * The only authority of an operator whose password was reset, in place of its roles: it allows changing the
	 * password and nothing else.
	 */
	public static final String PASSWORD_CHANGE_AUTHORITY = "PASSWORD_CHANGE_REQUIRED";

	static final int MIN_PASSWORD_LENGTH = 12;

	private static final int TEMPORARY_PASSWORD_LENGTH = 20;

	private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

	private static final SecureRandom random = new SecureRandom();

	private static final int MAX_PASSWORD_LENGTH = 200;

	private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

	private final OperatorRepository operators;

	private final PasswordEncoder passwordEncoder;

	private final AuditLog audit;

	private final Clock clock;

	private final SignInLockout lockout;

	private final InitialPasswordFile initialPassword;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	public OperatorAccounts(OperatorRepository operators, PasswordEncoder passwordEncoder, AuditLog audit,
			Clock clock, SignInLockout lockout, InitialPasswordFile initialPassword, ApplicationEventPublisher events,
			TransactionTemplate transactions) {
		this.operators = operators;
		this.passwordEncoder = passwordEncoder;
		this.audit = audit;
		this.clock = clock;
		this.lockout = lockout;
		this.initialPassword = initialPassword;
		this.events = events;
		this.transactions = transactions;
	}

	@Transactional
	public Operator create(String username, String password, Set<Role> roles, Boolean enabled) {
		if (username == null || !USERNAME.matcher(username).matches()) {
			throw new ValidationException("username must be 1-100 letters, digits or . _ @ -");
		}
		checkPassword(password, username);
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
	 * Changes what is given (null leaves it as it is). A password given here is an administrator's reset: the
	 * operator must change it at the next sign-in. An operator of the OpenID provider has nothing here to change.
	 */
	@Transactional
	public Operator update(String username, String password, Set<Role> roles, Boolean enabled) {
		ProviderOperatorException.refuseProviderOperator(username);
		long enabledAdmins = this.operators.lockAndCountEnabledAdmins();
		Operator current = this.operators.findForUpdate(username)
			.orElseThrow(() -> new NotFoundException("No operator named " + username));
		if (password != null) {
			checkPassword(password, current.username());
		}
		Set<Role> newRoles = (roles != null) ? checkRoles(roles) : current.roles();
		boolean newEnabled = (enabled != null) ? enabled : current.enabled();
		boolean losesAdmin = current.enabled() && current.roles().contains(Role.ADMIN)
				&& (!newEnabled || !newRoles.contains(Role.ADMIN));
		if (losesAdmin && enabledAdmins <= 1) {
			throw new InvalidStateException("The last enabled administrator cannot be disabled or lose ADMIN");
		}
		this.operators.update(username, null, newRoles, newEnabled, this.clock.instant());
		if (password != null) {
			setTemporaryPassword(username, password);
		}
		// never the password itself, only that it changed
		this.audit.record("operator.update", username, AuditOutcome.SUCCESS, "roles=" + newRoles + " enabled="
				+ newEnabled + " passwordReset=" + (password != null));
		return get(username);
	}

	/**
	 * An operator changes their own password. The current password must be given, and is checked like a sign-in:
	 * while the name is locked, or when it is wrong, the change is refused (400 {@code validation}), a wrong one
	 * counts towards the lockout and is audited as {@code operator.password-change} (outcome {@code DENIED}).
	 * The new password follows the rules of every password, and differs from the current one. Clears a reset's
	 * obligation to change it, and ends the operator's console sessions. An operator signed in with the OpenID
	 * provider has no password in smp: refused ({@code forbidden}) before anything is counted.
	 */
	public void changeOwnPassword(String username, String currentPassword, String newPassword) {
		ProviderOperatorException.refuseProviderOperator(username);
		if (currentPassword == null || currentPassword.isEmpty()) {
			throw new ValidationException("currentPassword is required");
		}
		// not in a transaction: a failure counted must stay counted when the change is refused
		String hash = this.operators.passwordHash(username)
			.orElseThrow(() -> new NotFoundException("No operator named " + username));
		boolean locked = this.lockout.isLocked(username);
		if (locked || !this.passwordEncoder.matches(currentPassword, hash)) {
			if (!locked) {
				this.lockout.recordFailure(username);
			}
			this.audit.recordAlone(username, "operator.password-change", username, AuditOutcome.DENIED,
					"current password wrong");
			throw new ValidationException("currentPassword is not the current password");
		}
		checkPassword(newPassword, username);
		if (newPassword.equals(currentPassword)) {
			throw new ValidationException("newPassword must differ from the current password");
		}
		String newHash = this.passwordEncoder.encode(newPassword);
		this.transactions.executeWithoutResult((status) -> {
			this.operators.setPassword(username, newHash, false, this.clock.instant());
			this.audit.record("operator.password-change", username, AuditOutcome.SUCCESS, null);
			passwordChanged(username);
		});
	}

	/**
	 * An administrator resets another operator's password, to the temporary password given or, if none is, to a
	 * random one of {@value #TEMPORARY_PASSWORD_LENGTH} characters. The operator must change it at the next
	 * sign-in, and their console sessions end. Administrators change their own password with
	 * {@link #changeOwnPassword}. An operator of the OpenID provider has no password in smp to reset.
	 * @return the temporary password, to be shown once to the administrator
	 */
	@Transactional
	public String resetPassword(String administrator, String username, String temporaryPassword) {
		ProviderOperatorException.refuseProviderOperator(username);
		Operator target = this.operators.findForUpdate(username)
			.orElseThrow(() -> new NotFoundException("No operator named " + username));
		if (target.username().equalsIgnoreCase(administrator)) {
			throw new ValidationException("Change your own password with your current one (POST /api/v1/me/password)");
		}
		String password = (temporaryPassword != null) ? temporaryPassword : randomPassword(TEMPORARY_PASSWORD_LENGTH);
		checkPassword(password, target.username());
		setTemporaryPassword(target.username(), password);
		this.audit.record("operator.password-reset", target.username(), AuditOutcome.SUCCESS,
				"temporaryPassword=" + ((temporaryPassword != null) ? "given" : "generated"));
		return password;
	}

	/** A random password of letters and digits that cannot be mistaken for one another. */
	public static String randomPassword(int length) {
		StringBuilder password = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return password.toString();
	}

	private void setTemporaryPassword(String username, String password) {
		this.operators.setPassword(username, this.passwordEncoder.encode(password), true, this.clock.instant());
		passwordChanged(username);
	}

	private void passwordChanged(String username) {
		this.events.publishEvent(new OperatorPasswordChanged(username));
		this.initialPassword.passwordChanged(username);
	}

	private static InvalidStateException alreadyExists(String username) {
		return new InvalidStateException("An operator named " + username + " (in any case) already exists");
	}

	private static void checkPassword(String password, String username) {
		if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
			throw new ValidationException(
					"password must be " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH + " characters");
		}
		if (password.equalsIgnoreCase(username)) {
			throw new ValidationException("password must not be the username");
		}
	}

	private static Set<Role> checkRoles(Set<Role> roles) {
		if (roles == null || roles.isEmpty()) {
			throw new ValidationException("roles must name at least one role");
		}
		return EnumSet.copyOf(roles);
	}

}
