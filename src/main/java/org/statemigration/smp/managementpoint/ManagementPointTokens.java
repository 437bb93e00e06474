package org.statemigration.smp.managementpoint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.SignatureVerification;
import org.statemigration.smp.managementpoint.internal.TokenSigningKeys;
import org.statemigration.smp.pki.EnrolledComputer;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Issues and verifies management-point tokens: ES256 JWTs bound to one association, one operation, one computer
 * and its certificate ({@code cnf.x5t#S256}, RFC 8705), and spends them on release. Every failure answers the
 * same {@link TokenInvalidException}; the reason goes to the debug log only.
 */
@Service
public class ManagementPointTokens {

	private static final Log logger = LogFactory.getLog(ManagementPointTokens.class);

	private static final String ISSUER = "smp";

	private static final JOSEObjectType TYPE = new JOSEObjectType("smp-mp+jwt");

	private final TokenSigningKeys signingKeys;

	private final JdbcClient jdbc;

	private final Clock clock;

	public ManagementPointTokens(TokenSigningKeys signingKeys, JdbcClient jdbc, Clock clock) {
		this.signingKeys = signingKeys;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Signs a token for the operation on the association, bound to the computer's certificate.
	 * @param lifetime how long it is valid: the {@code tokenTtl} setting, read in the transaction that granted
	 * the operation
	 */
	public IssuedToken issue(EnrolledComputer computer, UUID associationId, Operation operation, Duration lifetime) {
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(lifetime);
		TokenSigningKeys.SigningKey key = this.signingKeys.current();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject(computer.computerName())
			.claim("assoc", associationId.toString())
			.claim("op", operation.name())
			.claim("cnf", Map.of("x5t#S256", Base64.getUrlEncoder().withoutPadding()
				.encodeToString(HexFormat.of().parseHex(computer.thumbprint()))))
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(expiresAt))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.kid()).type(TYPE).build(),
				claims);
		try {
			jwt.sign(new ECDSASigner(key.privateKey()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot sign a token", ex);
		}
		return new IssuedToken(jwt.serialize(), expiresAt);
	}

	/**
	 * Verifies a token presented by a computer on this connection.
	 * @throws TokenInvalidException unless it is well signed, unexpired, unspent and bound to this computer's
	 * certificate
	 */
	public ManagementPointToken verify(String token, EnrolledComputer presenter) {
		ManagementPointToken claims = verifyUnlessSpent(token, presenter);
		if (isSpent(claims.jti())) {
			throw invalid("spent");
		}
		return claims;
	}

	/**
	 * Verifies a token presented by a computer on this connection, all but whether it is spent: for the caller
	 * that {@linkplain #spend spends} it first thing in the transaction that acts on it, where the insert refuses a
	 * spent token, and that saves a query.
	 * @throws TokenInvalidException unless it is well signed, unexpired and bound to this computer's certificate
	 */
	public ManagementPointToken verifyUnlessSpent(String token, EnrolledComputer presenter) {
		if (token == null || token.isBlank()) {
			throw invalid("no token");
		}
		try {
			SignedJWT jwt = SignedJWT.parse(token);
			if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || jwt.getHeader().getKeyID() == null) {
				throw invalid("unexpected algorithm or no key id");
			}
			var publicKey = this.signingKeys.publicKey(jwt.getHeader().getKeyID())
				.orElseThrow(() -> invalid("unknown key id"));
			ECDSAVerifier verifier = new ECDSAVerifier(publicKey);
			verifier.getJCAContext().setProvider(SignatureVerification.provider());
			if (!jwt.verify(verifier)) {
				throw invalid("bad signature");
			}
			ManagementPointToken claims = claims(jwt.getJWTClaimsSet());
			if (!this.clock.instant().isBefore(claims.expiresAt())) {
				throw invalid("expired");
			}
			if (!MessageDigest.isEqual(claims.thumbprint().getBytes(StandardCharsets.US_ASCII),
					presenter.thumbprint().getBytes(StandardCharsets.US_ASCII))) {
				throw invalid("bound to another certificate");
			}
			if (!claims.computerName().equalsIgnoreCase(presenter.computerName())) {
				throw invalid("issued to another computer");
			}
			return claims;
		}
		catch (ParseException | JOSEException | IllegalArgumentException | NullPointerException ex) {
			throw invalid("malformed: " + ex.getClass().getSimpleName());
		}
	}

	/**
	 * Spends a token so that it is refused from now on.
	 * @throws TokenInvalidException if it was spent already (a concurrent release)
	 */
	public void spend(ManagementPointToken token) {
		try {
			this.jdbc.sql("INSERT INTO spent_token (jti, expires_at, spent_at) VALUES (?, ?, ?)")
				.params(token.jti(), token.expiresAt().atOffset(ZoneOffset.UTC),
						this.clock.instant().atOffset(ZoneOffset.UTC))
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw invalid("spent concurrently");
		}
	}

	private boolean isSpent(String jti) {
		return this.jdbc.sql("SELECT COUNT(*) FROM spent_token WHERE jti = ?").param(jti).query(Long.class).single() > 0;
	}

	private static ManagementPointToken claims(JWTClaimsSet claims) throws ParseException {
		if (!ISSUER.equals(claims.getIssuer()) || claims.getExpirationTime() == null || claims.getJWTID() == null
				|| claims.getSubject() == null) {
			throw invalid("missing claims");
		}
		Map<String, Object> cnf = claims.getJSONObjectClaim("cnf");
		Object x5t = (cnf != null) ? cnf.get("x5t#S256") : null;
		if (!(x5t instanceof String bound)) {
			throw invalid("no certificate binding");
		}
		return new ManagementPointToken(claims.getJWTID(), claims.getSubject(),
				UUID.fromString(claims.getStringClaim("assoc")), Operation.valueOf(claims.getStringClaim("op")),
				HexFormat.of().formatHex(Base64.getUrlDecoder().decode(bound)),
				claims.getExpirationTime().toInstant());
	}

	private static TokenInvalidException invalid(String reason) {
		logger.debug("Refused a management-point token: " + reason);
		return new TokenInvalidException("The token is not valid for this request");
	}

}
