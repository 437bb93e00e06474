package org.statemigration.smp.admin;

/**
 * The operator roles of the API contract. {@link #ADMIN} implies every other role.
 */
public enum Role {

	/** Everything, including operators, settings and legal hold. */
	ADMIN,

	/** Computers, associations, enrollment codes and certificates; never recovery information. */
	OSD_MANAGER,

	/** Reads associations and their recovery information; re-associates. */
	RECOVERY_VIEWER,

	/** Reads everything except secrets, and the audit log. */
	AUDITOR;

	/** The Spring Security authority of this role. */
	public String authority() {
		return "ROLE_" + name();
	}

}
