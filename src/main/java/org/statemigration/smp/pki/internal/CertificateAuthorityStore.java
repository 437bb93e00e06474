package org.statemigration.smp.pki.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.statemigration.smp.crypto.KeyEncryptionKeys;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps the client CA in the database (table {@code client_ca}, one row), so that every server of a cluster issues
 * and trusts the same certificates. On start, a server takes the CA the database holds; if there is none, it
 * imports the one its data directory holds from an earlier version ({@link CertificateAuthorityFiles#read}), or
 * generates one. Servers starting at once on an empty database each offer theirs with {@code INSERT ... ON
 * CONFLICT DO NOTHING} on the single row's key, and all of them then read back the one that was inserted first.
 */
@Component
class CertificateAuthorityStore {

	/** The id of the one row. */
	static final int ROW = 1;

	private static final Log logger = LogFactory.getLog(CertificateAuthorityStore.class);

	private final JdbcClient jdbc;

	private final KeyEncryptionKeys keys;

	private final Clock clock;

	CertificateAuthorityStore(JdbcClient jdbc, KeyEncryptionKeys keys, Clock clock) {
		this.jdbc = jdbc;
		this.keys = keys;
		this.clock = clock;
	}

	/**
	 * The cluster's CA: the database's, or, if it has none yet, the one imported from {@code keysDir} or a new one.
	 * {@code ca.crt} in {@code keysDir} is then (re)written as a copy of its certificate.
	 */
	CertificateAuthority loadOrCreate(Path keysDir) {
		StoredCertificateAuthority stored = find().orElseGet(() -> offer(keysDir));
		CertificateAuthority ca = CertificateAuthorityFiles.open(stored, this.keys);
		CertificateAuthorityFiles.export(keysDir, ca.certificate());
		return ca;
	}

	Optional<StoredCertificateAuthority> find() {
		return this.jdbc.sql("SELECT certificate_pem, private_key_wrapped FROM client_ca WHERE id = ?")
			.param(ROW)
			.query((rs, row) -> new StoredCertificateAuthority(rs.getString(1), rs.getBytes(2)))
			.optional();
	}

	private StoredCertificateAuthority offer(Path keysDir) {
		Optional<StoredCertificateAuthority> existing = CertificateAuthorityFiles.read(keysDir, this.keys);
		StoredCertificateAuthority candidate = existing.orElseGet(() -> CertificateAuthorityFiles.generate(this.keys));
		boolean inserted = this.jdbc
			.sql("INSERT INTO client_ca (id, certificate_pem, private_key_wrapped, created_at) VALUES (?, ?, ?, ?)"
					+ " ON CONFLICT DO NOTHING")
			.params(ROW, candidate.certificatePem(), candidate.wrappedKey(),
					this.clock.instant().atOffset(ZoneOffset.UTC))
			.update() == 1;
		if (inserted) {
			logger.info(existing.isPresent()
					? "Imported the client CA of " + keysDir + " into the database; its files there are no longer read"
					: "Created the client CA in the database");
		}
		else {
			logger.info("Another server created the client CA in the database meanwhile: using that one");
		}
		return find().orElseThrow(() -> new IllegalStateException("The client CA row disappeared"));
	}

}
