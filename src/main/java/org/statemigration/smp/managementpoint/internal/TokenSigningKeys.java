package org.statemigration.smp.managementpoint.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.statemigration.smp.crypto.KeyEncryptionKeys;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The ES256 keys that sign management-point tokens, kept in the database with the private key wrapped by the
 * master key, so that every node of a cluster signs and verifies with the same keys. The newest key signs; every
 * key not retired verifies, by {@code kid}.
 */
@Component
public class TokenSigningKeys {

	private final JdbcClient jdbc;

	private final KeyEncryptionKeys keys;

	private final Clock clock;

	private final Map<String, ECPublicKey> publicKeys = new ConcurrentHashMap<>();

	private volatile SigningKey current;

	TokenSigningKeys(JdbcClient jdbc, KeyEncryptionKeys keys, Clock clock) {
		this.jdbc = jdbc;
		this.keys = keys;
		this.clock = clock;
	}

	/** The key to sign new tokens with, created on first use. */
	public SigningKey current() {
		SigningKey key = this.current;
		if (key == null) {
			key = loadNewest().orElseGet(this::create);
			this.current = key;
		}
		return key;
	}

	/**
	 * Creates a new key that signs from now on; older keys still verify the tokens they signed.
	 * @return the new key's id
	 */
	public String rotate() {
		SigningKey key = create();
		this.current = key;
		return key.kid();
	}

	/** The public key with this id, unless it is unknown or retired. */
	public Optional<ECPublicKey> publicKey(String kid) {
		ECPublicKey key = this.publicKeys.get(kid);
		if (key != null) {
			return Optional.of(key);
		}
		Optional<ECPublicKey> loaded = this.jdbc
			.sql("SELECT public_key FROM token_signing_key WHERE kid = ? AND retired_at IS NULL")
			.param(kid)
			.query(byte[].class)
			.optional()
			.map(TokenSigningKeys::publicKey);
		loaded.ifPresent((k) -> this.publicKeys.put(kid, k));
		return loaded;
	}

	private Optional<SigningKey> loadNewest() {
		return this.jdbc.sql("""
				SELECT kid, private_key_wrapped FROM token_signing_key WHERE retired_at IS NULL
				ORDER BY created_at DESC, kid FETCH FIRST 1 ROWS ONLY""")
			.query((rs, row) -> unwrap(rs.getString("kid"), rs.getBytes("private_key_wrapped")))
			.optional();
	}

	private SigningKey create() {
		String kid = UUID.randomUUID().toString();
		try {
			ECKey generated = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
			byte[] pkcs8 = generated.toECPrivateKey().getEncoded();
			byte[] wrapped = this.keys.wrap(pkcs8, context(kid));
			Arrays.fill(pkcs8, (byte) 0);
			this.jdbc.sql("""
					INSERT INTO token_signing_key (kid, private_key_wrapped, public_key, created_at)
					VALUES (?, ?, ?, ?)""")
				.params(kid, wrapped, generated.toECPublicKey().getEncoded(), this.clock.instant().atOffset(ZoneOffset.UTC))
				.update();
			return new SigningKey(kid, generated.toECPrivateKey());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot create a token-signing key", ex);
		}
		catch (DuplicateKeyException ex) {
			return loadNewest().orElseThrow(() -> ex);
		}
	}

	private SigningKey unwrap(String kid, byte[] wrapped) {
		byte[] pkcs8 = this.keys.unwrap(wrapped, context(kid));
		try {
			return new SigningKey(kid,
					(ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot read token-signing key " + kid, ex);
		}
		finally {
			Arrays.fill(pkcs8, (byte) 0);
		}
	}

	private static ECPublicKey publicKey(byte[] encoded) {
		try {
			return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(encoded));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot read a token-verification key", ex);
		}
	}

	static String context(String kid) {
		return "token-signing-key:" + kid;
	}

	/** A private signing key and its id. */
	public record SigningKey(String kid, ECPrivateKey privateKey) {

		@Override
		public String toString() {
			return "SigningKey[" + this.kid + "]";
		}

	}

}
