package org.statemigration.smp.crypto;

import java.security.Provider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The security provider that checks signatures against public keys: Bouncy Castle, as an instance of its own and
 * not registered with the JDK, so that nothing else picks it up. It knows every signature encoding a certification
 * request may carry, and its P-256 verification is several times faster than the JDK's (about 0.15 ms against 0.7
 * ms on Java 17 and 0.3 ms on Java 25, measured on the benchmark machine), which counts on every request that
 * presents a management-point token. Only public keys go through it: signing, which handles private keys, stays
 * with the JDK's constant-time code.
 */
public final class SignatureVerification {

	private static final Provider PROVIDER = new BouncyCastleProvider();

	private SignatureVerification() {
	}

	/** The provider to verify signatures with. */
	public static Provider provider() {
		return PROVIDER;
	}

}
