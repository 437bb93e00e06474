package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code enroll}: makes the computer's key pair and certificate signing request, enrolls with the one-time code,
 * and keeps key, certificate, CA and server in the identity folder.
 */
@Command(name = "enroll", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Enrolls this computer with the server: makes a key pair (EC P-256) that never leaves the "
				+ "computer, sends a certificate signing request with the one-time code an operator issued for "
				+ "this computer, and keeps the key and the certificate it gets in the identity folder. Run it "
				+ "once per computer; later commands need no --server.", "",
				"The server is checked before the code is sent: by the SHA-256 fingerprint of its certificate "
						+ "(--fingerprint, as the server prints it at start), else by this system's trust store "
						+ "(a server with a certificate from a public or company CA). A wrong fingerprint ends "
						+ "with exit code 6 and the code unused." },
		footer = { "", "Examples:",
				"  smp enroll --server https://smp.example.com:8443 \\",
				"      --code E5GXF-JLBE8-CGWRR-62BDX --fingerprint 3A:1F:0C:...:9C",
				"  smp.cmd enroll --server https://smp:8443 --code %%SMPCode%% ^",
				"      --fingerprint %%SMPFingerprint%% --identity %%_SMSTSMDataPath%%\\smp", "",
				"Exit codes: 0 enrolled, 2 usage or already enrolled, 4 code refused (wrong, used or expired; or "
						+ "rate limited; or the SMBIOS UUID or name contradicts the code's computer), 5 network, "
						+ "6 wrong fingerprint." })
final class EnrollCommand implements Callable<Integer> {

	private final Output output;

	@Spec
	CommandSpec spec;

	@Option(names = "--server", required = true, paramLabel = "URL",
			description = "The server's HTTPS address, e.g. https://smp.example.com:8443")
	String server;

	@Option(names = "--code", required = true, paramLabel = "CODE",
			description = "The one-time enrollment code (case, dashes and spaces do not matter). Never printed.")
	String code;

	@Option(names = "--fingerprint", paramLabel = "SHA256",
			description = "The SHA-256 fingerprint of the server's TLS certificate (AB:CD:... or hex). Without "
					+ "it, the system's trust store must trust the server.")
	String fingerprint;

	@Option(names = "--name", paramLabel = "NAME",
			description = "The name in the certificate request (default: this computer's host name). The server "
					+ "names the certificate after the computer the code was issued for, whatever is asked.")
	String name;

	@Option(names = "--smbios-uuid", paramLabel = "UUID",
			description = "This computer's SMBIOS UUID (in a task sequence: %%_SMSTSUUID%%), sent so that the server "
					+ "recognises a renamed or reimaged computer and refuses a code meant for other hardware.")
	String smbiosUuid;

	@Option(names = "--mac-address", paramLabel = "MAC",
			description = "A MAC address of this computer, sent for the same reason; repeat it, or give several "
					+ "separated by commas or semicolons (in a task sequence: %%_SMSTSMacAddresses%%).")
	List<String> macAddresses;

	@Option(names = "--force", description = "Replace an identity the folder already holds.")
	boolean force;

	@Mixin
	IdentityOption identity;

	@Mixin
	RetryOptions retry;

	EnrollCommand(Output output) {
		this.output = output;
	}

	@Override
	public Integer call() throws IOException {
		URI serverUri = serverUri(this.server);
		String pin = (this.fingerprint != null) ? ServerTrust.normalize(this.fingerprint) : null;
		if (Identity.exists(this.identity.folder) && !this.force) {
			throw ClientFailure.usage(this.identity.folder + " already holds an identity; use --force to enroll "
					+ "again and replace it");
		}
		Attempts attempts = this.retry.attempts(this.spec.commandLine(), this.output);
		KeyPair keyPair = KeyMaterial.newKeyPair();
		String csr = KeyMaterial.csr(keyPair, (this.name != null) ? this.name : hostName());
		ServerConnection connection = ServerConnection.anonymous(serverUri, ServerTrust.of(pin, null));
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("code", this.code);
		request.put("csr", csr);
		if (this.smbiosUuid != null && !this.smbiosUuid.isBlank()) {
			request.put("smbiosGuid", this.smbiosUuid.strip());
		}
		List<String> macs = macAddresses(this.macAddresses);
		if (!macs.isEmpty()) {
			request.put("macAddresses", macs);
		}
		JsonNode answer = attempts.run("Enrolling", () -> connection.post("api/v1/enrollment", request, null));
		Identity enrolled;
		try {
			enrolled = new Identity(this.identity.folder, serverUri, pin, answer.path("computer").asString(),
					keyPair.getPrivate(), KeyMaterial.certificate(answer.path("certificate").asString()),
					KeyMaterial.certificate(answer.path("caCertificate").asString()));
		}
		catch (CertificateException ex) {
			throw ClientFailure.failed("The server's answer holds no certificate: " + ex.getMessage(), ex);
		}
		enrolled.save();
		String matchedBy = answer.path("matchedBy").asString("");
		this.output.info("Enrolled as " + enrolled.computer() + (matchedBy.isEmpty() ? "" : " (recognised by "
				+ matchedBy.toLowerCase(Locale.ROOT).replace('_', ' ') + ")") + " (certificate valid until "
				+ enrolled.certificate().getNotAfter().toInstant() + "); identity kept in " + this.identity.folder);
		return 0;
	}

	/** The addresses given, each option possibly a list separated by commas, semicolons or blanks. */
	static List<String> macAddresses(List<String> options) {
		if (options == null) {
			return List.of();
		}
		return options.stream()
			.flatMap((option) -> Arrays.stream(option.split("[,;\\s]+")))
			.filter((mac) -> !mac.isEmpty())
			.toList();
	}

	/** The server's base URL, ending in {@code /} so that API paths resolve below it. */
	static URI serverUri(String text) {
		URI uri;
		try {
			uri = URI.create(text.strip());
		}
		catch (IllegalArgumentException ex) {
			throw ClientFailure.usage("--server is not a URL: " + text);
		}
		if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("https")
				|| uri.getHost() == null) {
			throw ClientFailure.usage("--server must be an https:// URL with a host, e.g. https://smp.example.com:8443");
		}
		String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
		return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + (path.endsWith("/") ? path : path + "/"));
	}

	private static String hostName() {
		String name = System.getenv("COMPUTERNAME");
		if (name != null && !name.isBlank()) {
			return name;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "computer";
		}
	}

}
