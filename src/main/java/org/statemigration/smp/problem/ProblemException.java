package org.statemigration.smp.problem;

/**
 * A failure with a problem type of the API contract. The message becomes the problem's {@code detail}, so it must
 * be safe to show to the caller: never a secret, and for authentication failures never a hint of what exactly
 * was wrong. The exception says what went wrong, not how to answer it: the web edge picks the HTTP status of its
 * type.
 */
public abstract class ProblemException extends RuntimeException {

	private final ProblemType type;

	protected ProblemException(ProblemType type, String detail) {
		super(detail);
		this.type = type;
	}

	protected ProblemException(ProblemType type, String detail, Throwable cause) {
		super(detail, cause);
		this.type = type;
	}

	public ProblemType type() {
		return this.type;
	}

	/** Members the problem document has besides the standard ones (RFC 9457 extension members); none by default. */
	public java.util.Map<String, Object> properties() {
		return java.util.Map.of();
	}

}
