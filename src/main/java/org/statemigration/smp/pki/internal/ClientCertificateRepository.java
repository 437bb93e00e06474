package org.statemigration.smp.pki.internal;

import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.pki.ClientCertificate;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ClientCertificateRepository {

	// each certificate with the name of its computer: one statement answers who presents it
	private static final String SELECT = """
			SELECT c.serial, c.computer_id, m.name AS computer_name, c.thumbprint, c.not_before, c.not_after, c.blocked,
			       c.blocked_at, c.blocked_reason, c.issued_at
			FROM client_certificate c
			JOIN computer m ON m.id = c.computer_id
			""";

	private final JdbcClient jdbc;

	ClientCertificateRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records a certificate the CA has just issued to the computer. */
	public void insert(X509Certificate certificate, UUID computerId, Instant issuedAt) {
		insert(CertificateAuthority.serialHex(certificate), computerId,
				CertificateAuthority.thumbprintSha256Hex(certificate), certificate.getSubjectX500Principal().getName(),
				certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
				CertificateAuthority.toPem(certificate), issuedAt);
	}

	private void insert(String serial, UUID computerId, String thumbprint, String subject, Instant notBefore,
			Instant notAfter, String pem, Instant issuedAt) {
		this.jdbc.sql("""
				INSERT INTO client_certificate (serial, computer_id, thumbprint, subject, not_before, not_after, blocked,
				    pem, issued_at)
				VALUES (?, ?, ?, ?, ?, ?, FALSE, ?, ?)""")
			.params(serial, computerId, thumbprint, subject, utc(notBefore), utc(notAfter), pem, utc(issuedAt))
			.update();
	}

	public Optional<IssuedCertificate> findByThumbprint(String thumbprint) {
		return this.jdbc.sql(SELECT + "WHERE c.thumbprint = ?")
			.param(thumbprint)
			.query(ClientCertificateRepository::map)
			.optional();
	}

	public Optional<IssuedCertificate> findBySerial(String serial) {
		return this.jdbc.sql(SELECT + "WHERE c.serial = ?")
			.param(serial)
			.query(ClientCertificateRepository::map)
			.optional();
	}

	public List<ClientCertificate> forComputer(UUID computerId) {
		return this.jdbc.sql(SELECT + "WHERE c.computer_id = ? ORDER BY c.issued_at")
			.param(computerId)
			.query(ClientCertificateRepository::map)
			.list()
			.stream()
			.map(IssuedCertificate::certificate)
			.toList();
	}

	public boolean block(String serial, String reason, Instant now) {
		return this.jdbc.sql("""
				UPDATE client_certificate SET blocked = TRUE, blocked_at = ?, blocked_reason = ?
				WHERE serial = ? AND blocked = FALSE""")
			.params(utc(now), reason, serial)
			.update() == 1;
	}

	private static IssuedCertificate map(ResultSet rs, int row) throws SQLException {
		return new IssuedCertificate(rs.getObject("computer_id", UUID.class), rs.getString("computer_name"),
				new ClientCertificate(rs.getString("serial"), rs.getString("thumbprint"), instant(rs, "not_before"),
						instant(rs, "not_after"), rs.getBoolean("blocked"), instant(rs, "blocked_at"),
						rs.getString("blocked_reason"), instant(rs, "issued_at")));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/** A certificate with the computer it was issued to. */
	public record IssuedCertificate(UUID computerId, String computerName, ClientCertificate certificate) {
	}

}
