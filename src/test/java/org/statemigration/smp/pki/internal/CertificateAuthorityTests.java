package org.statemigration.smp.pki.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.statemigration.smp.crypto.CryptoException;
import org.statemigration.smp.crypto.KeyEncryptionKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;
import static org.statemigration.smp.pki.internal.CertificationRequestsForTests.csrPem;
import static org.statemigration.smp.pki.internal.CertificationRequestsForTests.ecKeyPair;
import static org.statemigration.smp.pki.internal.CertificationRequestsForTests.pem;
import static org.statemigration.smp.pki.internal.CertificationRequestsForTests.rsaKeyPair;

class CertificateAuthorityTests {

	private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

	private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

	@TempDir
	Path keysDir;

	private KeyEncryptionKeys keks;

	private CertificateAuthority ca;

	private StoredCertificateAuthority stored;

	@BeforeEach
	void createCa() {
		this.keks = KeyEncryptionKeys.loadOrCreate(this.keysDir.resolve("master.key"));
		this.stored = CertificateAuthorityFiles.generate(this.keks);
		this.ca = CertificateAuthorityFiles.open(this.stored, this.keks);
	}

	@Test
	void createsASelfSignedCaThatMaySignOnlyEndEntityCertificates() throws Exception {
		X509Certificate certificate = this.ca.certificate();
		certificate.verify(certificate.getPublicKey());
		assertThat(certificate.getSubjectX500Principal().getName()).matches("CN=smp client CA [0-9a-f]{8}");
		assertThat(certificate.getBasicConstraints()).isZero();
		assertThat(certificate.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
		// keyCertSign (5) and cRLSign (6) only
		assertThat(certificate.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false,
				false);
		assertThat(certificate.getExtensionValue("2.5.29.14")).isNotNull();
		assertThat(certificate.getSigAlgName()).isEqualTo("SHA384withECDSA");
		assertThat(certificate.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3650)));
	}

	@Test
	void opensTheSameCaFromItsStoredForm() {
		CertificateAuthority reopened = CertificateAuthorityFiles.open(this.stored, this.keks);
		assertThat(reopened.certificate()).isEqualTo(this.ca.certificate());
		assertThat(reopened.certificatePem()).isEqualTo(this.stored.certificatePem());
	}

	@Test
	void readsTheFilesOfAnEarlierVersionForImport() throws Exception {
		writeFiles(this.keysDir, this.stored);
		StoredCertificateAuthority read = CertificateAuthorityFiles.read(this.keysDir, this.keks).orElseThrow();
		assertThat(read.certificatePem()).isEqualTo(this.stored.certificatePem());
		assertThat(read.wrappedKey()).isEqualTo(this.stored.wrappedKey());
	}

	@Test
	void findsNothingToImportInADirectoryWithoutCaFiles() {
		assertThat(CertificateAuthorityFiles.read(this.keysDir, this.keks)).isEmpty();
	}

	@Test
	void exportsTheCertificateReadableByTheOwnerOnly() throws Exception {
		CertificateAuthorityFiles.export(this.keysDir, this.ca.certificate());
		Path file = this.keysDir.resolve("ca.crt");
		assertThat(Files.readString(file)).isEqualTo(this.ca.certificatePem());
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		try (var files = Files.list(this.keysDir)) {
			assertThat(files.map((path) -> path.getFileName().toString())).noneMatch((name) -> name.endsWith(".tmp"));
		}
	}

	@Test
	void exportingAnotherCaSetsAsideTheKeyFileOfTheOldOne() throws Exception {
		writeFiles(this.keysDir, this.stored);
		CertificateAuthority other = CertificateAuthorityFiles.open(CertificateAuthorityFiles.generate(this.keks),
				this.keks);
		CertificateAuthorityFiles.export(this.keysDir, other.certificate());
		assertThat(Files.readString(this.keysDir.resolve("ca.crt"))).isEqualTo(other.certificatePem());
		assertThat(this.keysDir.resolve("ca.key.wrapped")).doesNotExist();
		assertThat(Files.readAllBytes(this.keysDir.resolve("ca.key.wrapped.superseded")))
			.isEqualTo(this.stored.wrappedKey());
	}

	@Test
	void exportingTheSameCaLeavesItsFilesAlone() throws Exception {
		writeFiles(this.keysDir, this.stored);
		CertificateAuthorityFiles.export(this.keysDir, this.ca.certificate());
		assertThat(Files.readAllBytes(this.keysDir.resolve("ca.key.wrapped"))).isEqualTo(this.stored.wrappedKey());
		assertThat(this.keysDir.resolve("ca.key.wrapped.superseded")).doesNotExist();
	}

	@Test
	void keepsThePrivateKeyWrappedSoThatAnotherMasterKeyCannotLoadIt() {
		KeyEncryptionKeys other = KeyEncryptionKeys.loadOrCreate(this.keysDir.resolve("other.key"));
		assertThatExceptionOfType(CryptoException.class)
			.isThrownBy(() -> CertificateAuthorityFiles.open(this.stored, other));
	}

	@Test
	void refusesToImportACertificateThatDoesNotMatchTheKey() throws Exception {
		StoredCertificateAuthority other = CertificateAuthorityFiles.generate(this.keks);
		writeFiles(this.keysDir, new StoredCertificateAuthority(other.certificatePem(), this.stored.wrappedKey()));
		assertThatExceptionOfType(CryptoException.class)
			.isThrownBy(() -> CertificateAuthorityFiles.read(this.keysDir, this.keks))
			.withMessageContaining("does not belong");
	}

	@Test
	void refusesToReplaceAKeyWhoseCertificateIsMissing() throws Exception {
		writeFiles(this.keysDir, this.stored);
		Files.delete(this.keysDir.resolve("ca.crt"));
		assertThatIllegalStateException()
			.isThrownBy(() -> CertificateAuthorityFiles.read(this.keysDir, this.keks))
			.withMessageContaining("restore ca.crt");
	}

	/** The files of a version that kept the CA in the data directory. */
	static void writeFiles(Path keysDir, StoredCertificateAuthority stored) throws java.io.IOException {
		Files.writeString(keysDir.resolve("ca.crt"), stored.certificatePem());
		Files.write(keysDir.resolve("ca.key.wrapped"), stored.wrappedKey());
	}

	@Test
	void issuesAClientCertificateForAnRsa2048Request() throws Exception {
		KeyPair keyPair = rsaKeyPair(2048);
		X509Certificate issued = this.ca.issueClientCertificate(csrPem(keyPair, "CN=PC-001"), "PC-001",
				Duration.ofDays(365));
		assertIsClientCertificate(issued, "PC-001");
		assertThat(issued.getPublicKey()).isEqualTo(keyPair.getPublic());
		// digitalSignature (0) and keyEncipherment (2)
		assertThat(issued.getKeyUsage()).startsWith(true, false, true, false);
	}

	@Test
	void issuesAClientCertificateForAnEcP256Request() throws Exception {
		KeyPair keyPair = ecKeyPair("secp256r1");
		X509Certificate issued = this.ca.issueClientCertificate(csrPem(keyPair, "CN=ignored"), "LAPTOP-7",
				Duration.ofDays(30));
		assertIsClientCertificate(issued, "LAPTOP-7");
		assertThat(issued.getKeyUsage()).startsWith(true, false, false, false);
		assertThat(issued.getNotAfter().toInstant()).isCloseTo(Instant.now().plus(Duration.ofDays(30)),
				within(1, ChronoUnit.MINUTES));
		assertThat(issued.getNotBefore().toInstant()).isBefore(Instant.now().minus(Duration.ofMinutes(4)));
	}

	@Test
	void issuesAClientCertificateForAnEcP384Request() throws Exception {
		X509Certificate issued = this.ca.issueClientCertificate(csrPem(ecKeyPair("secp384r1"), "CN=x"), "PC-2",
				Duration.ofDays(1));
		assertIsClientCertificate(issued, "PC-2");
	}

	@Test
	void neverIssuesBeyondTheCasOwnExpiry() {
		X509Certificate issued = this.ca.issueClientCertificate(csrPem(ecKeyPair("secp256r1"), "CN=x"), "PC-3",
				Duration.ofDays(365 * 30));
		assertThat(issued.getNotAfter()).isEqualTo(this.ca.certificate().getNotAfter());
	}

	@Test
	void refusesARequestWhoseSignatureIsWrong() {
		String tampered = CertificationRequestsForTests.csrPemWithCorruptedSignature(ecKeyPair("secp256r1"));
		assertThatExceptionOfType(InvalidCsrException.class)
			.isThrownBy(() -> this.ca.issueClientCertificate(tampered, "PC-1", Duration.ofDays(1)))
			.withMessageContaining("signature");
		String tamperedRsa = CertificationRequestsForTests.csrPemWithCorruptedSignature(rsaKeyPair(2048));
		assertThatExceptionOfType(InvalidCsrException.class)
			.isThrownBy(() -> this.ca.issueClientCertificate(tamperedRsa, "PC-1", Duration.ofDays(1)))
			.withMessageContaining("signature");
	}

	@Test
	void refusesAnRsa1024Request() {
		String weak = csrPem(rsaKeyPair(1024), "CN=PC-1");
		assertThatExceptionOfType(InvalidCsrException.class)
			.isThrownBy(() -> this.ca.issueClientCertificate(weak, "PC-1", Duration.ofDays(1)))
			.withMessageContaining("2048")
			.withMessageContaining("1024");
	}

	@ParameterizedTest
	@ValueSource(strings = { "SHA1withRSA", "MD5withRSA", "SHA224withRSA", "SHA1withRSAandMGF1" })
	void refusesAnRsaRequestSignedWithAWeakAlgorithm(String algorithm) {
		String weak = pem(CertificationRequestsForTests.csr(rsaKeyPair(2048), "CN=PC-1", algorithm));
		assertThatExceptionOfType(InvalidCsrException.class)
			.isThrownBy(() -> this.ca.issueClientCertificate(weak, "PC-1", Duration.ofDays(1)))
			.withMessageContaining("SHA-256 or stronger");
	}

	@ParameterizedTest
	@ValueSource(strings = { "SHA1withECDSA", "SHA224withECDSA" })
	void refusesAnEcRequestSignedWithAWeakAlgorithm(String algorithm) {
		String weak = pem(CertificationRequestsForTests.csr(ecKeyPair("secp256r1"), "CN=PC-1", algorithm));
		assertThatExceptionOfType(InvalidCsrException.class)
			.isThrownBy(() -> this.ca.issueClientCertificate(weak, "PC-1", Duration.ofDays(1)))
			.withMessageContaining("SHA-256 or stronger");
	}

	@ParameterizedTest
	@ValueSource(strings = { "SHA256withRSA", "SHA384withRSA", "SHA512withRSA", "SHA256withRSAandMGF1",
			"SHA512withRSAandMGF1" })
	void issuesForAnRsaRequestSignedWithSha256OrStronger(String algorithm) throws Exception {
		String request = pem(CertificationRequestsForTests.csr(rsaKeyPair(2048), "CN=PC-1", algorithm));
		assertIsClientCertificate(this.ca.issueClientCertificate(request, "PC-1", Duration.ofDays(1)), "PC-1");
	}

	@ParameterizedTest
	@ValueSource(strings = { "SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA" })
	void issuesForAnEcRequestSignedWithSha256OrStronger(String algorithm) throws Exception {
		String request = pem(CertificationRequestsForTests.csr(ecKeyPair("secp384r1"), "CN=PC-1", algorithm));
		assertIsClientCertificate(this.ca.issueClientCertificate(request, "PC-1", Duration.ofDays(1)), "PC-1");
	}

	@Test
	void refusesAnEcKeyOnAnotherCurve() {
		String p521 = csrPem(ecKeyPair("secp521r1"), "CN=PC-1");
		assertThatExceptionOfType(InvalidCsrException.class)
			.isThrownBy(() -> this.ca.issueClientCertificate(p521, "PC-1", Duration.ofDays(1)))
			.withMessageContaining("P-256 or P-384");
	}

	@Test
	void refusesGarbageAndPemThatIsNotARequest() {
		for (String notACsr : List.of("", "garbage",
				"-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n",
				"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
				this.ca.certificatePem())) {
			assertThatExceptionOfType(InvalidCsrException.class).as(notACsr)
				.isThrownBy(() -> this.ca.issueClientCertificate(notACsr, "PC-1", Duration.ofDays(1)));
		}
		assertThatExceptionOfType(InvalidCsrException.class).isThrownBy(() -> CertificateAuthority.parseCsr(null));
	}

	@Test
	void refusesAComputerNameThatIsNotOne() {
		String csr = csrPem(ecKeyPair("secp256r1"), "CN=x");
		for (String name : List.of("", "PC,O=Evil", "a".repeat(64), "PC 1")) {
			assertThatExceptionOfType(IllegalArgumentException.class).as(name)
				.isThrownBy(() -> this.ca.issueClientCertificate(csr, name, Duration.ofDays(1)));
		}
	}

	@Test
	void issuesAServerCertificateForItsNames() throws Exception {
		KeyPair keyPair = ecKeyPair("secp256r1");
		X509Certificate issued = this.ca.issueServerCertificate(keyPair.getPublic(),
				List.of("localhost", "smp.example"), List.of("127.0.0.1", "::1"), Duration.ofDays(730));
		validateChain(issued);
		assertThat(issued.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=localhost"));
		assertThat(issued.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
		assertThat(issued.getBasicConstraints()).isEqualTo(-1);
		assertThat(issued.getSubjectAlternativeNames()).extracting((name) -> (Object) name.get(1))
			.containsExactly("localhost", "smp.example", "127.0.0.1", "0:0:0:0:0:0:0:1");
	}

	@Test
	void describesCertificatesByThumbprintAndSerial() throws Exception {
		X509Certificate certificate = this.ca.certificate();
		byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
		assertThat(CertificateAuthority.thumbprintSha256Hex(certificate))
			.isEqualTo(HexFormat.of().formatHex(digest));
		assertThat(CertificateAuthority.thumbprintSha256Base64Url(certificate))
			.isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(digest))
			.hasSize(43);
		assertThat(CertificateAuthority.serialHex(certificate)).isEqualTo(certificate.getSerialNumber().toString(16))
			.hasSize(32);
	}

	private void assertIsClientCertificate(X509Certificate issued, String computerName) throws Exception {
		validateChain(issued);
		assertThat(issued.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=" + computerName));
		assertThat(issued.getIssuerX500Principal()).isEqualTo(this.ca.certificate().getSubjectX500Principal());
		assertThat(issued.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
		assertThat(issued.getBasicConstraints()).isEqualTo(-1);
		assertThat(issued.getSigAlgName()).isEqualTo("SHA384withECDSA");
		assertThat(issued.getSerialNumber().signum()).isPositive();
		assertThat(issued.getSerialNumber().bitLength()).isEqualTo(127);
		assertThat(issued.getExtensionValue("2.5.29.14")).isNotNull();
		assertThat(issued.getExtensionValue("2.5.29.35")).isNotNull();
	}

	private void validateChain(X509Certificate issued) throws Exception {
		PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(this.ca.certificate(), null)));
		parameters.setRevocationEnabled(false);
		CertPathValidator.getInstance("PKIX")
			.validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(issued)), parameters);
	}

}
