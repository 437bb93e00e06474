package org.statemigration.smp.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.annotation.PreDestroy;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.OwnerOnlyFiles;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The local channel through which {@code java -jar smp.jar backup} asks a server running on the embedded H2
 * database (whose file that server holds locked) to take the backup itself. When the web server has started, a
 * random secret of 256 bits is written with the port into {@value #FILE_NAME} in the data directory, readable by
 * the owner only; a clean stop removes it. Whoever can read the data directory holds the master key already, so the
 * secret grants nothing new. On PostgreSQL there is no such file: the command reads the database itself.
 */
@Component
@ConditionalOnWebApplication
public class LocalChannel {

	/** The file in the data directory that holds the port and the secret. */
	public static final String FILE_NAME = "local-channel.secret";

	/** The authority of a request that presented the secret. */
	public static final String AUTHORITY = "LOCAL_CHANNEL";

	/** The paths of the local channel. */
	public static final String PATHS = "/local/**";

	private static final int SECRET_BYTES = 32;

	private static final Log logger = LogFactory.getLog(LocalChannel.class);

	private static final SecureRandom random = new SecureRandom();

	private final Path file;

	private final boolean embeddedDatabase;

	private volatile byte[] secret;

	LocalChannel(Environment environment) {
		this.file = Path.of(environment.getRequiredProperty("smp.data-dir")).resolve(FILE_NAME);
		this.embeddedDatabase = environment.getProperty("spring.datasource.url", "").startsWith("jdbc:h2:file:");
	}

	@EventListener
	void open(WebServerInitializedEvent event) throws IOException {
		if (!this.embeddedDatabase || event.getApplicationContext().getServerNamespace() != null) {
			return;
		}
		byte[] bytes = new byte[SECRET_BYTES];
		random.nextBytes(bytes);
		String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		OwnerOnlyFiles.writeAtomically(this.file,
				("port=" + event.getWebServer().getPort() + "\nsecret=" + encoded + "\n").getBytes(StandardCharsets.UTF_8));
		this.secret = encoded.getBytes(StandardCharsets.US_ASCII);
		logger.info("The local channel for backups on this machine is open; its secret is in " + this.file);
	}

	@PreDestroy
	void close() {
		if (this.secret == null) {
			return;
		}
		this.secret = null;
		try {
			Files.deleteIfExists(this.file);
		}
		catch (IOException ex) {
			logger.warn("Could not remove " + this.file + ": " + ex.getMessage());
		}
	}

	/** Whether the channel is open (the server runs on the embedded database and has written its secret). */
	public boolean isOpen() {
		return this.secret != null;
	}

	/** Whether {@code presented} is the secret, compared in constant time; false while the channel is closed. */
	public boolean authenticates(String presented) {
		byte[] expected = this.secret;
		if (expected == null || presented == null) {
			return false;
		}
		return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
	}

}
