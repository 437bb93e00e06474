package org.statemigration.smp.client.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which server certificates the client accepts. A pinned SHA-256 fingerprint matches the server's certificate
 * exactly, whatever name the client used to reach it. Without a pin, the system's trust store decides (a server
 * with a certificate from a public or company CA), host name included. After enrollment smp's own client CA,
 * received over that verified connection, is trusted as well, so that a server certificate the server generates
 * anew (when it expires) is still accepted.
 */
final class ServerTrust extends X509ExtendedTrustManager {

	private final String pinnedFingerprint;

	private final List<X509ExtendedTrustManager> authorities;

	private ServerTrust(String pinnedFingerprint, List<X509ExtendedTrustManager> authorities) {
		this.pinnedFingerprint = pinnedFingerprint;
		this.authorities = authorities;
	}

	/** Trusts the pinned fingerprint if there is one, else the system's trust store; plus smp's CA if known. */
	static ServerTrust of(String pinnedFingerprint, X509Certificate smpCa) {
		List<X509ExtendedTrustManager> authorities = new ArrayList<>();
		if (smpCa != null) {
			authorities.add(trustManager(smpCa));
		}
		if (pinnedFingerprint == null) {
			authorities.add(trustManager(null));
		}
		return new ServerTrust(pinnedFingerprint, List.copyOf(authorities));
	}

	/**
	 * The fingerprint as lowercase hex, from any of the usual spellings: {@code AB:CD:...} (as the server and
	 * {@code openssl x509 -fingerprint} print it), plain hex, with a {@code sha256 Fingerprint=} prefix.
	 * @throws ClientFailure (usage) if it is not 32 bytes of hex
	 */
	static String normalize(String fingerprint) {
		String text = fingerprint.strip().toLowerCase(Locale.ROOT);
		int equals = text.lastIndexOf('=');
		if (equals >= 0) {
			text = text.substring(equals + 1);
		}
		if (text.startsWith("sha256:")) {
			text = text.substring("sha256:".length());
		}
		text = text.replace(":", "").replace(" ", "");
		if (!text.matches("[0-9a-f]{64}")) {
			throw ClientFailure.usage("--fingerprint must be a SHA-256 fingerprint: 32 bytes in hex, e.g. AB:CD:...");
		}
		return text;
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		check(chain, (authority) -> authority.checkServerTrusted(chain, authType, engine));
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		check(chain, (authority) -> authority.checkServerTrusted(chain, authType, socket));
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		check(chain, (authority) -> authority.checkServerTrusted(chain, authType));
	}

	private void check(X509Certificate[] chain, Check check) throws CertificateException {
		if (chain == null || chain.length == 0) {
			throw new ServerNotTrustedException("The server presented no certificate", null);
		}
		String presented = KeyMaterial.fingerprint(chain[0]);
		if (presented.equals(this.pinnedFingerprint)) {
			return;
		}
		for (X509ExtendedTrustManager authority : this.authorities) {
			try {
				check.against(authority);
				return;
			}
			catch (CertificateException ex) {
				// try the next one; the failure below names the certificate
			}
		}
		if (this.pinnedFingerprint != null) {
			throw new ServerNotTrustedException("The server's certificate (SHA-256 " + presented + ") is not the pinned one",
					null);
		}
		String spelled = spelled(presented);
		throw new ServerNotTrustedException("The server's certificate (SHA-256 " + spelled + ") is not trusted by this "
				+ "system", "If it is your smp server (it logs its \"TLS certificate SHA-256 fingerprint\" at start; "
						+ "compare the two), pin it: enroll again with --fingerprint " + spelled);
	}

	/** A fingerprint in hex as the server logs it: {@code 3A:1F:...:9C}. */
	static String spelled(String hex) {
		StringBuilder spelled = new StringBuilder();
		for (int i = 0; i < hex.length(); i += 2) {
			spelled.append((i > 0) ? ":" : "").append(hex.substring(i, Math.min(hex.length(), i + 2)));
		}
		return spelled.toString().toUpperCase(Locale.ROOT);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		throw new CertificateException("A client does not check clients");
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		throw new CertificateException("A client does not check clients");
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		throw new CertificateException("A client does not check clients");
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return new X509Certificate[0];
	}

	/** The trust manager of the system's trust store (null) or of one CA certificate. */
	private static X509ExtendedTrustManager trustManager(X509Certificate ca) {
		try {
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			if (ca == null) {
				factory.init((KeyStore) null);
			}
			else {
				KeyStore store = KeyStore.getInstance("PKCS12");
				store.load(null, null);
				store.setCertificateEntry("smp-ca", ca);
				factory.init(store);
			}
			for (TrustManager manager : factory.getTrustManagers()) {
				if (manager instanceof X509ExtendedTrustManager extended) {
					return extended;
				}
			}
			throw new IllegalStateException("No X.509 trust manager");
		}
		catch (GeneralSecurityException | java.io.IOException ex) {
			throw new IllegalStateException("Cannot set up the trust store", ex);
		}
	}

	@FunctionalInterface
	private interface Check {

		void against(X509ExtendedTrustManager authority) throws CertificateException;

	}

	/** The server is not the one the client expects: exit code 6, never tried again. */
	static final class ServerNotTrustedException extends CertificateException {

		private final String hint;

		ServerNotTrustedException(String message, String hint) {
			super(message);
			this.hint = hint;
		}

		/** What the user can do about it, or null. */
		String hint() {
			return this.hint;
		}

	}

}
