package org.statemigration.smp.managementpoint;

import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the management-point tests share: the running server, its administrator, and pairs of enrolled computers
 * linked by an association.
 */
abstract class ManagementPointTestSupport {

	static final AtomicInteger counter = new AtomicInteger();

	@LocalServerPort
	int port;

	@Value("${smp.data-dir}")
	String dataDir;

	TestServer server;

	OperatorClient admin;

	@BeforeEach
	void connect() {
		this.server = new TestServer(this.port, this.dataDir);
		this.admin = this.server.admin();
	}

	Pair newPair(String mode, String... accounts) {
		int n = counter.incrementAndGet();
		String source = "OLD-PC-" + n;
		String destination = "NEW-PC-" + n;
		String id = this.admin.createAssociation(source, destination, mode, accounts);
		ComputerClient sourceClient = this.server.computer(source);
		ComputerClient destinationClient = this.server.computer(destination);
		assertThat(sourceClient.enroll(this.admin.enrollmentCode(source)).status()).isEqualTo(201);
		assertThat(destinationClient.enroll(this.admin.enrollmentCode(destination)).status()).isEqualTo(201);
		return new Pair(id, sourceClient, destinationClient);
	}

	String state(Pair pair) {
		return this.admin.association(pair.associationId()).path("state").asString();
	}

	static byte[] randomBytes(int size) {
		byte[] data = new byte[size];
		new Random(size).nextBytes(data);
		return data;
	}

	static String sha256Hex(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

	static String reprDigest(byte[] data) {
		try {
			return "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(data))
					+ ":";
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Pair(String associationId, ComputerClient source, ComputerClient destination) {
	}

}
