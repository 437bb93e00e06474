package org.statemigration.smp.support;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.TestServer.Response;

/**
 * An operator (or nobody) calling the admin API over TLS: with HTTP Basic, or with an OpenID provider's access
 * token ({@link TestServer#bearer}).
 */
public final class OperatorClient {

	private final TestServer server;

	private final String username;

	private final String password;

	/** The {@code Authorization} header of every request, or none. */
	private final String authorization;

	private final HttpClient http;

	OperatorClient(TestServer server, String username, String password) {
		this(server, username, password, (username != null) ? TestServer.basic(username, password) : null);
	}

	private OperatorClient(TestServer server, String username, String password, String authorization) {
		this.server = server;
		this.username = username;
		this.password = password;
		this.authorization = authorization;
		this.http = TestServer.httpClient(server.trustingContext());
	}

	/** The operator {@code name} (as smp names them) with an access token, and no password. */
	static OperatorClient withToken(TestServer server, String name, String accessToken) {
		return new OperatorClient(server, name, null, "Bearer " + accessToken);
	}

	public String username() {
		return this.username;
	}

	public String password() {
		return this.password;
	}

	public Response get(String path) {
		return send("GET", path, null);
	}

	public Response post(String path, Object body) {
		return send("POST", path, body);
	}

	public Response patch(String path, Object body) {
		return send("PATCH", path, body);
	}

	public Response put(String path, Object body) {
		return send("PUT", path, body);
	}

	public Response delete(String path) {
		return send("DELETE", path, null);
	}

	/** Sends a JSON body as given: a String is sent verbatim, anything else is serialized. */
	public Response send(String method, String path, Object body) {
		return send(method, path, body, "application/json");
	}

	/** Like {@link #send(String, String, Object)}, accepting the given media type (e.g. for metrics). */
	public Response send(String method, String path, Object body, String accept) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.server.uri(path)).header("Accept", accept);
		if (this.authorization != null) {
			request.header("Authorization", this.authorization);
		}
		if (body != null) {
			String text = (body instanceof String s) ? s : TestServer.toJson(body);
			request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return TestServer.send(this.http, request.build());
	}

	/** Sends a body of the given media type, as given (a CSV file, say), and accepts JSON. */
	public Response send(String method, String path, String contentType, HttpRequest.BodyPublisher body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.server.uri(path))
			.header("Accept", "application/json")
			.header("Content-Type", contentType)
			.method(method, body);
		if (this.authorization != null) {
			request.header("Authorization", this.authorization);
		}
		return TestServer.send(this.http, request.build());
	}

	/** Creates an operator with the given roles (as this client, which must be an ADMIN) and signs in as it. */
	public OperatorClient createOperator(String username, String... roles) {
		String password = "pw-" + username + "-0123456789";
		Response response = post("/api/v1/admins",
				Map.of("username", username, "password", password, "roles", List.of(roles)));
		if (response.status() != 201) {
			throw new IllegalStateException("Cannot create operator: " + response);
		}
		return this.server.operator(username, password);
	}

	/** Creates an association and returns its id. */
	public String createAssociation(String source, String destination, String mode, String... accounts) {
		Response response = post("/api/v1/associations", Map.of("sourceComputer", source, "destinationComputer",
				destination, "userAccounts", Map.of("mode", mode, "accounts", List.of(accounts))));
		if (response.status() != 201) {
			throw new IllegalStateException("Cannot create association: " + response);
		}
		return response.json().path("id").asString();
	}

	/** Issues an enrollment code for the computer and returns it. */
	public String enrollmentCode(String computer) {
		Response response = post("/api/v1/computers/" + computer + "/enrollment-codes", null);
		if (response.status() != 201) {
			throw new IllegalStateException("Cannot issue enrollment code: " + response);
		}
		return response.json().path("code").asString();
	}

	public JsonNode association(String id) {
		return get("/api/v1/associations/" + id).json();
	}

}
