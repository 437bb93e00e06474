package org.statemigration.smp.console;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.statemigration.smp.admin.Role;
import org.statemigration.smp.console.ConsoleClient.Page;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's role matrix: every route, the roles that may use it and what they get; every other role is
 * refused (403), and anonymous visitors are sent to the sign-in page. Whoever the operators are who are signed in
 * with each role: local accounts ({@link ConsoleSecurityIntegrationTests}) or operators of an OpenID provider.
 */
public final class ConsoleRoleMatrix {

	private ConsoleRoleMatrix() {
	}

	/**
	 * The routes, on an association and a computer (the source of another association) that {@code admin} creates,
	 * with computer names from {@code names}; what does not exist answers 404 to those allowed.
	 */
	public static List<Route> routes(OperatorClient admin, UnaryOperator<String> names) {
		String id = admin.createAssociation(names.apply("MX-SRC"), names.apply("MX-DST"), "CAPTURE_ALL_RESTORE_ALL");
		String computer = names.apply("MX-PC");
		admin.createAssociation(computer, names.apply("MX-DST"), "CAPTURE_ALL_RESTORE_ALL");
		String missing = UUID.randomUUID().toString();
		return List.of(
				Route.get("/console", 200, Role.values()),
				Route.get("/console/associations", 200, Role.values()),
				Route.get("/console/associations/" + id, 200, Role.values()),
				Route.get("/console/computers", 200, Role.values()),
				Route.get("/console/computers/" + computer, 200, Role.values()),
				Route.get("/console/associations/new", 200, Role.OSD_MANAGER),
				Route.get("/console/associations/import", 200, Role.OSD_MANAGER),
				Route.get("/console/associations/" + id + "/delete", 200, Role.OSD_MANAGER),
				Route.get("/console/settings", 200),
				Route.get("/console/operators", 200),
				Route.get("/console/audit", 200, Role.AUDITOR),
				Route.get("/console/audit/verify", 200, Role.AUDITOR),
				Route.post("/console/associations", Map.of("sourceComputer", "not a name"), 400, Role.OSD_MANAGER),
				Route.post("/console/associations/import", Map.of(), 400, Role.OSD_MANAGER),
				Route.post("/console/associations/" + missing + "/delete", Map.of(), 404, Role.OSD_MANAGER),
				Route.post("/console/computers/" + computer + "/enrollment-codes", Map.of(), 200, Role.OSD_MANAGER),
				Route.post("/console/computers/" + computer + "/identity", Map.of("macAddresses", ""), 302,
						Role.OSD_MANAGER),
				Route.post("/console/certificates/ffff0000/block", Map.of("computer", computer, "reason", "test"), 404,
						Role.OSD_MANAGER),
				Route.post("/console/associations/" + missing + "/legal-hold", Map.of("hold", "true", "reason", "x"),
						404),
				Route.post("/console/associations/" + missing + "/recovery-information",
						Map.of("reason", "ticket 1 matrix test"), 404, Role.RECOVERY_VIEWER),
				Route.post("/console/associations/" + missing + "/reassign",
						Map.of("destinationComputer", "MX-OTHER", "reason", "ticket 1 matrix test"), 404,
						Role.RECOVERY_VIEWER),
				Route.post("/console/settings", Map.of("deleteAfter", "soon"), 400),
				Route.post("/console/operators", Map.of("username", "no spaces allowed"), 400),
				Route.post("/console/operators/" + missing, Map.of("roles", "AUDITOR"), 404));
	}

	/**
	 * Asserts each route: anonymous visitors sent to sign in, and each role of {@code consoles} answered the route's
	 * status when it may use it, 403 otherwise.
	 */
	public static void assertEveryRoute(TestServer server, List<Route> routes, Map<Role, ConsoleClient> consoles) {
		ConsoleClient anonymous = new ConsoleClient(server);
		for (Route route : routes) {
			Page refusedAnonymous = route.post() ? anonymous.submit("/login", route.path(), route.fields())
					: anonymous.get(route.path());
			assertThat(refusedAnonymous.status()).as("anonymous %s", route).isEqualTo(302);
			assertThat(refusedAnonymous.location()).as("anonymous %s", route).startsWith("/login");
			for (Map.Entry<Role, ConsoleClient> signedIn : consoles.entrySet()) {
				Role role = signedIn.getKey();
				ConsoleClient console = signedIn.getValue();
				Page page = route.post() ? console.post(route.path(), route.fields()) : console.get(route.path());
				int expected = route.allows(role) ? route.status() : 403;
				assertThat(page.status()).as("%s as %s (%s): %s", route, role, console.username(), page.body())
					.isEqualTo(expected);
			}
		}
	}

	/** A route of the console, and the roles that may use it. */
	public record Route(String method, String path, Map<String, String> fields, int status, Set<Role> roles) {

		static Route get(String path, int status, Role... roles) {
			return new Route("GET", path, Map.of(), status, roles(roles));
		}

		static Route post(String path, Map<String, String> fields, int status, Role... roles) {
			return new Route("POST", path, fields, status, roles(roles));
		}

		/** ADMIN may do everything. */
		private static Set<Role> roles(Role... roles) {
			Set<Role> allowed = EnumSet.of(Role.ADMIN);
			allowed.addAll(Arrays.asList(roles));
			return allowed;
		}

		boolean post() {
			return "POST".equals(this.method);
		}

		boolean allows(Role role) {
			return this.roles.contains(role);
		}

		@Override
		public String toString() {
			return this.method + " " + this.path;
		}

	}

}
