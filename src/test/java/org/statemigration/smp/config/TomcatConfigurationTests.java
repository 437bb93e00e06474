package org.statemigration.smp.config;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector's sizes. That an answer goes out in whole TLS records is shown on the wire by
 * {@code CaptureAndRestoreIntegrationTests.aRestoreGoesOutInWholeTlsRecords}.
 */
class TomcatConfigurationTests {

	private static final long MIB = 1024 * 1024;

	@Test
	void theWriteBufferHoldsExactlyTwoRecordsAsJsseCutsThem() {
		Connector connector = new Connector();
		new TomcatConfiguration().recordSizedSocketBuffers().customize(connector);
		int writeBuffer = Integer.parseInt(String.valueOf(connector.getProperty("socket.appWriteBufSize")));
		assertThat(writeBuffer).isEqualTo(2 * TomcatConfiguration.TLS_RECORD_DATA);
		assertThat(connector.getProperty("socket.appReadBufSize")).hasToString("16384");
	}

	@Test
	void connectionsTakeAQuarterOfTheHeapWithinTomcatsBounds() {
		assertThat(TomcatConfiguration.fromHeap(256 * MIB)).isEqualTo(682);
		assertThat(TomcatConfiguration.fromHeap(16 * MIB)).isEqualTo(100);
		assertThat(TomcatConfiguration.fromHeap(3072 * MIB)).isEqualTo(8192);
		assertThat(TomcatConfiguration.fromHeap(64 * 1024 * MIB)).isEqualTo(8192);
	}

}
