package org.statemigration.smp.problem;

/**
 * The problem types of the API contract: what a refusal is, as the caller reads it in the {@code type}
 * ({@code urn:smp:problem:<slug>}) and {@code title} of the problem document. The contract reuses a slug for
 * refusals that differ in title and answer (an expired resumable upload is {@code not-found} like an unknown one,
 * but "Upload expired"), so a type is a slug with its title, and a few types share a slug.
 * <p>
 * A type says nothing about HTTP: which status answers it is decided once, at the web edge, from the table of
 * the API reference.
 */
public enum ProblemType {

	// answers that any request may get

	VALIDATION("validation", "Invalid request"),

	UNAUTHORIZED("unauthorized", "Unauthorized"),

	FORBIDDEN("forbidden", "Forbidden"),

	NOT_FOUND("not-found", "Not found"),

	REQUEST_TIMEOUT("request-timeout", "Request timeout"),

	REQUEST_TOO_LARGE("request-too-large", "Request too large"),

	UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type"),

	/** Too many requests without credentials from one address at once. */
	TOO_MANY_REQUESTS("rate-limited", "Too many requests"),

	SERVER_BUSY("server-busy", "Server busy"),

	DATABASE_UNAVAILABLE("database-unavailable", "Database unavailable"),

	INTERNAL("internal", "Internal error"),

	// refusals of the operators' API and the console

	INVALID_STATE("invalid-state", "Not allowed in the current state"),

	DUPLICATE_ASSOCIATION("duplicate-association", "Duplicate association"),

	/**
	 * A computer's SMBIOS UUID or MAC address that belongs to another computer, or that contradicts what is
	 * recorded of the computer.
	 */
	IDENTITY_CONFLICT("identity-conflict", "Computer identity conflict"),

	UNSAFE_SETTING("unsafe-setting", "Unsafe setting"),

	AUDIT_UNAVAILABLE("audit-unavailable", "Audit log unavailable"),

	/** An operator whose password was reset, asking for anything but to change it. */
	PASSWORD_CHANGE_REQUIRED("password-change-required", "Password change required"),

	// refusals of the client API

	/** Too many failed attempts (enrollment codes) from one caller. */
	TOO_MANY_ATTEMPTS("rate-limited", "Too many attempts"),

	ENROLLMENT_CODE_INVALID("enrollment-code-invalid", "Invalid enrollment code"),

	CERTIFICATE_BLOCKED("certificate-blocked", "Certificate blocked"),

	TOKEN_INVALID("token-invalid", "Invalid token"),

	NO_ASSOCIATION("no-association", "No association"),

	NO_STATE_STORE("no-state-store", "No state store"),

	RESTORE_ONLY_MODE("restore-only-mode", "Restore-only mode"),

	INSUFFICIENT_STORAGE("insufficient-storage", "Insufficient storage"),

	/** The storage location (an S3 bucket) could not be reached or refused a write. */
	STORAGE_UNAVAILABLE("storage-unavailable", "Storage unavailable"),

	QUOTA_EXCEEDED("quota-exceeded", "Quota exceeded"),

	CAPTURE_IN_PROGRESS("capture-in-progress", "Capture in progress"),

	DIGEST_MISMATCH("digest-mismatch", "Digest mismatch"),

	/** The state store to restore failed the integrity check: it is never handed out whole. */
	STORE_DAMAGED("store-damaged", "State store damaged"),

	/** An upload without a declared length that is not chunked either. */
	LENGTH_REQUIRED("validation", "Length required"),

	// refusals of resumable uploads (tus), with the contract's slugs

	UNSUPPORTED_TUS_VERSION("validation", "Unsupported tus version"),

	UPLOAD_OFFSET_CONFLICT("invalid-state", "Upload offset conflict"),

	UPLOAD_EXPIRED("not-found", "Upload expired"),

	/** A chunk that does not match its {@code Upload-Checksum}. */
	CHECKSUM_MISMATCH("digest-mismatch", "Checksum mismatch");

	private final String slug;

	private final String title;

	ProblemType(String slug, String title) {
		this.slug = slug;
		this.title = title;
	}

	/** The contract's name of the problem, the last part of its {@code type}. */
	public String slug() {
		return this.slug;
	}

	/** A short human-readable summary of the problem. */
	public String title() {
		return this.title;
	}

}
