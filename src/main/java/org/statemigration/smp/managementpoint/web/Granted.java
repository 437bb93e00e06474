package org.statemigration.smp.managementpoint.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.statemigration.smp.managementpoint.ManagementPointToken;
import org.statemigration.smp.managementpoint.Operation;

/**
 * Marks the {@link ManagementPointToken} parameter of a handler that needs a token: the request's bearer token,
 * verified for the computer's certificate, and, for an operation, checked to cover that operation on the
 * association the request names, with the computer still taking part and the association in the matching state.
 * The association a request names is its {@code {associationId}} path variable, or under
 * {@code /api/v1/uploads/{uploadId}} the upload's; a request that names none (a new upload) uses the token's own.
 * A request that is not granted reaches no handler. Resolved by {@link GrantedTokenResolver}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@interface Granted {

	/**
	 * The operation the token must be for, at most one. None for the release, which acts on whatever the token is
	 * for and checks what it covers, and whether it is spent, in the transaction that acts on it.
	 */
	Operation[] value() default {};

}
