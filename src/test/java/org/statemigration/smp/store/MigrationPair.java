package org.statemigration.smp.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.SeededStream;
import org.statemigration.smp.support.TestServer.Response;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A source and a destination computer, enrolled, with the association between them: what a crash or a full disk
 * must not harm. Its store files live in {@code <stores>/<associationId>/}.
 */
record MigrationPair(String associationId, ComputerClient source, ComputerClient destination) {

	static MigrationPair enroll(TestServer server, String name) {
		OperatorClient admin = server.admin();
		String id = admin.createAssociation(name + "-OLD", name + "-NEW", "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient source = server.computer(name + "-OLD");
		ComputerClient destination = server.computer(name + "-NEW");
		assertThat(source.enroll(admin.enrollmentCode(name + "-OLD")).status()).isEqualTo(201);
		assertThat(destination.enroll(admin.enrollmentCode(name + "-NEW")).status()).isEqualTo(201);
		return new MigrationPair(id, source, destination);
	}

	/** The same computers, with their keys and certificates, talking to the server where it listens now. */
	MigrationPair on(TestServer server) {
		ComputerClient source = server.computer(this.source.name());
		source.impersonate(this.source);
		ComputerClient destination = server.computer(this.destination.name());
		destination.impersonate(this.destination);
		return new MigrationPair(this.associationId, source, destination);
	}

	/** Captures a whole version (sent with Content-Length) and releases the capture. */
	void capture(long size, long seed) {
		Grant capture = this.source.request("CAPTURE");
		Response stored = this.source.upload(capture.storeUrl(), capture.token(), () -> new SeededStream(size, seed),
				size, null);
		assertThat(stored.status()).as("capture upload: %s", stored).isEqualTo(201);
		assertThat(this.source.release(capture.token(), true).status()).isEqualTo(200);
	}

	/** Restores the current version to its end and returns its hex SHA-256; the restore is left open. */
	String restore() throws IOException {
		Grant restore = this.destination.request("RESTORE");
		HttpResponse<InputStream> download = this.destination.downloadTo(restore.storeUrl(), restore.token(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(download.statusCode()).isEqualTo(200);
		return SeededStream.sha256(download.body());
	}

	Path directory(Path stores) {
		return stores.resolve(this.associationId);
	}

	/** The association's store files with this suffix ({@code .part} or {@code .smp}). */
	List<Path> files(Path stores, String suffix) {
		Path directory = directory(stores);
		if (Files.notExists(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter((f) -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
