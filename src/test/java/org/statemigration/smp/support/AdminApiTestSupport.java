package org.statemigration.smp.support;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the admin API's integration tests share: the running server, its first administrator, names that no other
 * test uses (the server and its database are shared by every test class of a run), and the check that an error
 * is a problem of the contract.
 */
public abstract class AdminApiTestSupport {

	private static final AtomicInteger counter = new AtomicInteger();

	// differs between runs against a database that was not wiped, and keeps names short
	private static final String RUN = Long.toString(System.nanoTime() % 1_000_000L, 36).toUpperCase(Locale.ROOT);

	@LocalServerPort
	protected int port;

	@Value("${smp.data-dir}")
	protected String dataDir;

	protected TestServer server;

	protected OperatorClient admin;

	@BeforeEach
	protected void connect() {
		this.server = new TestServer(this.port, this.dataDir);
		this.admin = this.server.admin();
	}

	/** A computer name (or operator name) that no other test uses: letters, digits and hyphens. */
	protected static String unique(String prefix) {
		return prefix + "-" + RUN + "-" + counter.incrementAndGet();
	}

	/**
	 * Asserts that the response is the contract's problem: the status, {@code application/problem+json}, a type
	 * {@code urn:smp:problem:<slug>}, a title, the status again in the body, and a detail.
	 */
	protected static void assertProblem(Response response, int status, String slug) {
		assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
		assertThat(response.header("Content-Type")).as("content type").startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.path("type").asString()).isEqualTo("urn:smp:problem:" + slug);
		assertThat(problem.path("title").asString()).isNotBlank();
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("detail").asString()).isNotBlank();
	}

	/** An enrolled computer, registered through an association of which it is the source. */
	protected ComputerClient enrolledComputer(String prefix) {
		String name = unique(prefix);
		this.admin.createAssociation(name, unique(prefix + "-D"), "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient computer = this.server.computer(name);
		assertThat(computer.enroll(this.admin.enrollmentCode(name)).status()).isEqualTo(201);
		return computer;
	}

	/** Creates an association between two newly enrolled computers and captures data for it. */
	protected Captured captured(byte[] data) {
		String source = unique("CAP-SRC");
		String destination = unique("CAP-DST");
		String id = this.admin.createAssociation(source, destination, "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient sourceClient = this.server.computer(source);
		ComputerClient destinationClient = this.server.computer(destination);
		assertThat(sourceClient.enroll(this.admin.enrollmentCode(source)).status()).isEqualTo(201);
		assertThat(destinationClient.enroll(this.admin.enrollmentCode(destination)).status()).isEqualTo(201);
		Grant capture = sourceClient.request("CAPTURE");
		assertThat(sourceClient.upload(capture.storeUrl(), capture.token(), data, null).status()).isEqualTo(201);
		assertThat(sourceClient.release(capture.token(), true).status()).isEqualTo(200);
		return new Captured(id, sourceClient, destinationClient);
	}

	/** An association whose source has captured data that the destination has not restored. */
	protected record Captured(String associationId, ComputerClient source, ComputerClient destination) {
	}

}
