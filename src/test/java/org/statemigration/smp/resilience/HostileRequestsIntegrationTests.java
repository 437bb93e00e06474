package org.statemigration.smp.resilience;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.RawHttps;
import org.statemigration.smp.support.RawHttps.Answer;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded catalog of malformed and hostile requests (a few hundred), sent as raw bytes over TLS to a server
 * process: every answer that comes back, whichever layer gives it (Tomcat, the firewall, security, the
 * controllers, the error dispatch), is a problem document with a {@code urn:smp:problem:} type, and none of them
 * leaves a stack trace in the server's log. A request whose body never arrives may go unanswered.
 */
@ServerProcessTest
class HostileRequestsIntegrationTests {

	private static final String UUID = "00000000-0000-0000-0000-000000000003";

	private static final List<String> PATHS = List.of("/api/v1/enrollment", "/api/v1/associations",
			"/api/v1/associations/" + UUID, "/api/v1/settings", "/api/v1/admins", "/api/v1/mp/request-state-store",
			"/api/v1/stores/" + UUID, "/api/v1/uploads", "/api/v1/uploads/" + UUID, "/actuator/prometheus", "/error",
			"/nothing", "/api/v1/nothing");

	/** Ways to spoil a path: encoded separators, traversal, parameters, control characters, bad escapes. */
	private static final List<String> PATH_MUTATIONS = List.of("%2F", "%2f..%2f", "\\", "%5C", "%00", "/../..",
			"/%2e%2e/", ";jsessionid=1", ";x=..", "//", "/./", "%zz", "%", "%c0%ae", "%ff", "?a=%zz&b", "#frag", "%0d%0a");

	private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

	@TempDir
	Path temp;

	@Test
	void everyAnswerToAHostileRequestIsAProblemAndNothingIsLoggedWithAStackTrace() throws Exception {
		Map<String, byte[]> catalog = catalog();
		assertThat(catalog.size()).isBetween(200, 600);
		try (ServerProcess process = ServerProcess.start(this.temp.resolve("data"), "256m")) {
			TestServer server = process.client();
			RawHttps raw = new RawHttps(server);
			List<String> failures = new ArrayList<>();
			int answered = 0;
			for (Map.Entry<String, byte[]> request : catalog.entrySet()) {
				boolean mayStall = request.getKey().startsWith("stalled");
				Answer answer = raw.exchange(request.getValue(), mayStall ? 1_500 : 10_000);
				if (!answer.answered()) {
					if (!mayStall) {
						failures.add(request.getKey() + ": no answer (" + answer.body() + ")");
					}
					continue;
				}
				answered++;
				if (answer.status() >= 400 && !answer.isProblem()) {
					failures.add(request.getKey() + ": " + answer.status() + " " + answer.header("content-type") + " "
							+ answer.body().substring(0, Math.min(200, answer.body().length())));
				}
			}

			assertThat(failures).isEmpty();
			assertThat(answered).isGreaterThan(catalog.size() * 9 / 10);
			assertThat(server.anonymous().get("/actuator/health").status()).isEqualTo(200);
			assertThat(ServerLog.stackTraces(process.log())).isEmpty();
		}
	}

	private static Map<String, byte[]> catalog() {
		Map<String, byte[]> catalog = new LinkedHashMap<>();
		for (String path : PATHS) {
			for (String mutation : PATH_MUTATIONS) {
				String method = METHODS.get(Math.floorMod((path + mutation).hashCode(), METHODS.size()));
				catalog.put(method + " " + path + " + " + mutation, request(method + " " + path + mutation, ""));
			}
			catalog.put("FOO " + path, request("FOO " + path, ""));
			catalog.put("TRACE " + path, request("TRACE " + path, ""));
			catalog.put("long url " + path, request("GET " + path + "?q=" + "a".repeat(20_000), ""));
		}
		for (String path : List.of("/api/v1/enrollment", "/api/v1/associations", "/api/v1/settings",
				"/api/v1/mp/request-state-store", "/api/v1/mp/release-state-store", "/api/v1/admins")) {
			String post = (path.equals("/api/v1/settings") ? "PATCH " : "POST ") + path;
			for (String type : List.of("*/*", "application/*", "application/*+json", ";", "a/b/c", "application/json;"
					+ "charset=nonsense", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
					"text/html", "application/json\u0000")) {
				catalog.put(post + " type " + type, request(post, "Content-Type: " + type + "\r\nContent-Length: 2\r\n",
						"{}"));
			}
			catalog.put(post + " gzip", request(post, "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n"));
			catalog.put(post + " te unknown",
					request(post, "Content-Type: application/json\r\nTransfer-Encoding: foo, chunked\r\n"));
			catalog.put(post + " cl and te", request(post, "Content-Type: application/json\r\nContent-Length: 5\r\n"
					+ "Transfer-Encoding: chunked\r\n", "0\r\n\r\n"));
			catalog.put(post + " two lengths",
					request(post, "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n", "{}"));
			catalog.put(post + " negative length", request(post, "Content-Type: application/json\r\nContent-Length: -1\r\n"));
			catalog.put(post + " huge length", request(post, "Content-Type: application/json\r\nContent-Length: "
					+ "99999999999999999999\r\n"));
			catalog.put(post + " bad chunk", request(post, "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
					"zz\r\n{}\r\n0\r\n\r\n"));
			catalog.put(post + " broken json", request(post, "Content-Type: application/json\r\nContent-Length: 9\r\n",
					"{\"a\":[1,}"));
			catalog.put(post + " deep json", request(post, "Content-Type: application/json\r\nContent-Length: 4000\r\n",
					"[".repeat(4000)));
			catalog.put(post + " not utf8", request(post, "Content-Type: application/json\r\nContent-Length: 4\r\n",
					"\"\u00ff\u00fe\""));
			catalog.put("stalled " + post, request(post, "Content-Type: application/json\r\nContent-Length: 100\r\n",
					"{\"a\""));
			catalog.put("stalled chunked " + post, request(post,
					"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", "10\r\n{\"a\""));
		}
		String[] protocol = { "G@T / HTTP/1.1", "GET / HTTP/2.0", "GET / HTTP/9.9", "GET / HTTP/1.1 extra", "GET  / HTTP/1.1",
				"GET /\u0000 HTTP/1.1", "GET https://elsewhere/api/v1/associations HTTP/1.1", "CONNECT elsewhere:443 HTTP/1.1",
				"OPTIONS * HTTP/1.1", "GET * HTTP/1.1", "GET /api/v1/\u00c3\u0028 HTTP/1.1", "PRI * HTTP/2.0" };
		for (String line : protocol) {
			catalog.put("request line " + line, (line + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
		}
		String[] headers = { "Bad Header: x", "X-Big: " + "a".repeat(20_000), "Host: a\r\nHost: b", ": empty name",
				"X-Ctl: a\u0001b", "Authorization: Basic !!!", "Authorization: Bearer " + "x".repeat(4_000),
				"Authorization: Basic " + "QQ==".repeat(1_500), "Authorization: Negotiate abc", "Range: bytes=99999999999999999999-",
				"Expect: something-else", "Accept: image/png", "Accept: */*;q=nonsense", "Tus-Resumable: 9.9.9",
				"X-HTTP-Method-Override: PATCH", "Content-Length: 2\r\nContent-Type: application/json\r\nX-Fold: a\r\n b" };
		for (int i = 0; i < headers.length; i++) {
			for (String path : List.of("/api/v1/associations", "/api/v1/uploads/" + UUID, "/error")) {
				catalog.put("header " + i + " " + path, ("GET " + path + " HTTP/1.1\r\n"
						+ (headers[i].startsWith("Host:") ? "" : "Host: localhost\r\n") + headers[i] + "\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));
			}
		}
		return catalog;
	}

	private static byte[] request(String methodAndPath, String headers) {
		return request(methodAndPath, headers, "");
	}

	private static byte[] request(String methodAndPath, String headers, String body) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes((methodAndPath + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers + "\r\n" + body)
			.getBytes(StandardCharsets.ISO_8859_1));
		return out.toByteArray();
	}

}
