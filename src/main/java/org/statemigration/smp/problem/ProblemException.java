package org.statemigration.smp.problem;

/**
 * A failure with a problem type of the API contract ({@code urn:smp:problem:<slug>}) and an HTTP status. The
 * message becomes the problem's {@code detail}, so it must be safe to show to the caller: never a secret, and
 * for authentication failures never a hint of what exactly was wrong.
 */
public abstract class ProblemException extends RuntimeException {

	private final String slug;

	private final int status;

	protected ProblemException(String slug, int status, String detail) {
		super(detail);
		this.slug = slug;
		this.status = status;
	}

	protected ProblemException(String slug, int status, String detail, Throwable cause) {
		super(detail, cause);
		this.slug = slug;
		this.status = status;
	}

	public String slug() {
		return this.slug;
	}

	public int status() {
		return this.status;
	}

	/** A short human-readable summary of the problem type. */
	public abstract String title();

}
