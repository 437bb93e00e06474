package org.statemigration.smp.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code backup} and {@code restore-backup} from the packaged jar, in processes of their own. */
final class BackupCommands {

	private static final Path JAR = Path.of("target/smp.jar");

	private final Path temp;

	private int runs;

	BackupCommands(Path temp) {
		this.temp = temp;
	}

	/** The command's exit code and what it printed. */
	record Result(int exitCode, String output) {
	}

	Result run(Map<String, String> environment, List<String> arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-jar", JAR.toAbsolutePath().toString()));
		command.addAll(arguments);
		Path output = this.temp.resolve("command-" + (++this.runs) + ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
		builder.environment().remove("SMP_BACKUP_PASSPHRASE");
		builder.environment().putAll(environment);
		Process process = builder.start();
		assertThat(process.waitFor(180, TimeUnit.SECONDS)).as(String.join(" ", arguments) + " finished").isTrue();
		return new Result(process.exitValue(), Files.readString(output));
	}

	/** The arguments that put a command on a data directory with its one storage folder, as the servers have it. */
	static List<String> on(Path dataDir, List<String> datasource) {
		List<String> arguments = new ArrayList<>(List.of("--smp.data-dir=" + dataDir.toAbsolutePath(),
				"--smp.storage.folders[0].location=" + dataDir.toAbsolutePath().resolve("stores"),
				"--smp.storage.folders[0].min-free-space=0MB"));
		arguments.addAll(datasource);
		return arguments;
	}

}
