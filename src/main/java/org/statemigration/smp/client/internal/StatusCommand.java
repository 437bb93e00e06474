package org.statemigration.smp.client.internal;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code status}: what the server knows of this computer's associations, read with its own certificate.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Shows what the server knows of this computer: its associations as source or destination, "
				+ "their state, size and dates. No key or token is shown. Also a quick check that the computer is "
				+ "enrolled and reaches the server." },
		footer = { "", "Examples:", "  smp status", "  smp status --json", "",
				"Exit codes: 0 shown, 2 not enrolled, 3 no association, 4 certificate refused (blocked), "
						+ "5 network, 6 wrong server." })
final class StatusCommand implements Callable<Integer> {

	private final Output output;

	@Spec
	CommandSpec spec;

	@Option(names = "--json", description = "Print the server's answer as JSON.")
	boolean json;

	@Mixin
	IdentityOption identity;

	@Mixin
	RetryOptions retry;

	@Mixin
	RenewOption renewal;

	StatusCommand(Output output) {
		this.output = output;
	}

	@Override
	public Integer call() {
		Attempts attempts = this.retry.attempts(this.spec.commandLine(), this.output);
		Identity computer = this.renewal.renewedIfDue(Identity.load(this.identity.folder), attempts, this.output);
		ServerConnection connection = ServerConnection.of(computer);
		JsonNode status = attempts.run("Reading the status", () -> connection.get("api/v1/mp/status"));
		JsonNode associations = status.path("associations");
		if (this.json) {
			this.output.result(ServerConnection.json.writeValueAsString(status));
		}
		else {
			this.output.result("Computer " + status.path("computer").asString() + " at " + computer.server()
					+ ", certificate valid until " + computer.certificate().getNotAfter().toInstant());
			for (JsonNode association : associations) {
				this.output.result(describe(association));
			}
			if (associations.isEmpty()) {
				this.output.result("No association");
			}
		}
		return associations.isEmpty() ? org.statemigration.smp.client.ExitCodes.NO_ASSOCIATION : 0;
	}

	private static String describe(JsonNode association) {
		StringBuilder line = new StringBuilder("  ").append(association.path("role").asString())
			.append(' ')
			.append(association.path("id").asString())
			.append(": ")
			.append(association.path("sourceComputer").asString())
			.append(" -> ")
			.append(association.path("destinationComputer").asString())
			.append(", ")
			.append(association.path("state").asString());
		if (!association.path("storeSizeBytes").isNull() && !association.path("storeSizeBytes").isMissingNode()) {
			line.append(", ").append(Progress.size(association.path("storeSizeBytes").asLong()));
		}
		appendTime(line, "captured", association.path("capturedAt"));
		appendTime(line, "restored", association.path("restoredAt"));
		appendTime(line, "data due for deletion at", association.path("deleteAt"));
		return line.toString();
	}

	private static void appendTime(StringBuilder line, String label, JsonNode value) {
		if (!value.isNull() && !value.isMissingNode()) {
			line.append(", ").append(label).append(' ').append(value.asString());
		}
	}

}
