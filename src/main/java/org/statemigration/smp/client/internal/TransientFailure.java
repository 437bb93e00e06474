package org.statemigration.smp.client.internal;

import java.io.IOException;

/**
 * A failure worth trying again: the server answered with a 5xx that is not a refusal, or a transfer broke off.
 */
class TransientFailure extends IOException {

	TransientFailure(String message) {
		super(message);
	}

}
