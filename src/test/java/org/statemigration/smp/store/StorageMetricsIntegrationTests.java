package org.statemigration.smp.store;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage and transfer metrics on {@code /actuator/prometheus}, as a scraper with an AUDITOR account reads
 * them: the gauges per folder and per association state, and the counters that a capture and a restore move.
 */
@IntegrationTest
@OnBothDatabases
class StorageMetricsIntegrationTests extends AdminApiTestSupport {

	private String scrape() {
		var response = this.admin.send("GET", "/actuator/prometheus", null, "text/plain");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	@Test
	void exportsTheStorageGaugesPerFolderAndTheTransferCounters() {
		OperatorClient scraper = this.admin.createOperator(unique("scraper").toLowerCase(), "AUDITOR");
		var response = scraper.send("GET", "/actuator/prometheus", null, "text/plain");
		assertThat(response.status()).isEqualTo(200);
		String folder = "folder=\"" + this.server.dataDir().resolve("stores").toAbsolutePath().normalize() + "\"";
		assertThat(response.body()).contains("smp_storage_stored_bytes{" + folder, "smp_storage_reserved_bytes{" + folder,
				"smp_storage_free_bytes{" + folder, "smp_storage_clients{" + folder, "smp_stores{state=\"CREATED\"}",
				"smp_stores{state=\"DELETED\"}", "smp_uploads_total", "smp_uploaded_bytes_total", "smp_downloads_total",
				"smp_downloaded_bytes_total");
		// the requests waiting in the fair queue in front of the pool, and the pool's own metrics still there
		assertThat(response.body()).contains("smp_database_connections_waiting ", "hikaricp_connections_active{");
	}

	@Test
	void requestsAreObservedOnceNotForEveryFilterOfTheirChain() {
		scrape();
		String metrics = scrape();
		assertThat(metrics).contains("http_server_requests_seconds_count{", "spring_security_authorizations_seconds_count{")
			.doesNotContain("spring_security_filterchains");
	}

	@Test
	void uploadAndDownloadCountersGrowWithATransfer() {
		String before = scrape();
		Captured captured = captured(new byte[70_000]);
		String afterUpload = scrape();
		assertThat(value(afterUpload, "smp_uploads_total", "")).isEqualTo(value(before, "smp_uploads_total", "") + 1);
		assertThat(value(afterUpload, "smp_uploaded_bytes_total", ""))
			.isEqualTo(value(before, "smp_uploaded_bytes_total", "") + 70_000);

		Grant restore = captured.destination().request("RESTORE");
		HttpResponse<byte[]> download = captured.destination().download(restore.storeUrl(), restore.token(), null);
		assertThat(download.statusCode()).isEqualTo(200);
		HttpResponse<byte[]> range = captured.destination().download(restore.storeUrl(), restore.token(), "bytes=0-99");
		assertThat(range.statusCode()).isEqualTo(206);
		String afterDownload = scrape();
		assertThat(value(afterDownload, "smp_downloads_total", ""))
			.isEqualTo(value(afterUpload, "smp_downloads_total", "") + 2);
		assertThat(value(afterDownload, "smp_downloaded_bytes_total", ""))
			.isEqualTo(value(afterUpload, "smp_downloaded_bytes_total", "") + 70_100);
	}

	@Test
	void refusedUploadIsNotCounted() {
		String source = unique("METRIC-SRC");
		this.admin.createAssociation(source, unique("METRIC-DST"), "CAPTURE_ALL_RESTORE_ALL");
		var computer = this.server.computer(source);
		assertThat(computer.enroll(this.admin.enrollmentCode(source)).status()).isEqualTo(201);
		Grant capture = computer.request("CAPTURE");
		double before = value(scrape(), "smp_uploads_total", "");
		var refused = computer.upload(capture.storeUrl(), capture.token(), new byte[1000], "sha-256=:"
				+ java.util.Base64.getEncoder().encodeToString(new byte[32]) + ":");
		assertThat(refused.problem()).isEqualTo("digest-mismatch");
		assertThat(value(scrape(), "smp_uploads_total", "")).isEqualTo(before);
	}

	@Test
	void storesGaugeCountsAssociationsByStateInTheDatabase() throws InterruptedException {
		captured(new byte[1000]);
		long captured = this.admin.get("/api/v1/associations?state=CAPTURED&size=1").json().path("total").asLong();
		assertThat(captured).isPositive();
		// the counts are cached for a few seconds: the gauge catches up with the database within that time
		Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
		double gauge = value(scrape(), "smp_stores", "{state=\"CAPTURED\"}");
		while (gauge != captured && Instant.now().isBefore(deadline)) {
			Thread.sleep(500);
			gauge = value(scrape(), "smp_stores", "{state=\"CAPTURED\"}");
		}
		assertThat(gauge).isEqualTo(captured);
	}

	/** The value of the sample with this name and exactly these labels ({@code ""} for none). */
	static double value(String scrape, String name, String labels) {
		Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name + labels) + " (\\S+)$").matcher(scrape);
		assertThat(matcher.find()).as("%s%s in the scrape", name, labels).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

}
