package org.statemigration.smp.store.blob;

import java.io.IOException;

/**
 * A blob store could not do what was asked because it cannot be reached or refused the request (an object store
 * that is down, or answers with an error): nothing about the blob itself is wrong, and trying again later may
 * succeed. Its message names the store and what failed, never a credential.
 */
public class BlobStoreUnavailableException extends IOException {

	public BlobStoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
