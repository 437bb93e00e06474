package org.statemigration.smp.admin;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/**
 * A request for a local account's password, state or roles, made for an operator of the OpenID provider
 * ({@code forbidden}): smp keeps no password of theirs, and their roles come from the provider at every sign-in.
 */
public class ProviderOperatorException extends ProblemException {

	public ProviderOperatorException(String name) {
		super(ProblemType.FORBIDDEN, name + " signs in with the OpenID provider: smp keeps no password of theirs,"
				+ " and their roles come from their groups at the provider, where they are changed or removed");
	}

	/** Refuses {@code name} if it is the name of an operator of the provider, which no local account can have. */
	static void refuseProviderOperator(String name) {
		if (name != null && name.startsWith(ProviderSignIn.NAME_PREFIX)) {
			throw new ProviderOperatorException(name);
		}
	}

}
