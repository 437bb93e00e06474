package org.statemigration.smp.console.web;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.statemigration.smp.association.MigrationType;
import org.statemigration.smp.association.UserAccountMode;
import org.statemigration.smp.audit.AuditEvent;
import org.statemigration.smp.audit.AuditOutcome;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** How the console writes sizes for people and for its forms, and enum values in words. */
class ConsoleFormatsTests {

	private final ConsoleFormats formats = ConsoleFormats.INSTANCE;

	@Test
	void sizesOfAFormTakeTheLargestUnitThatDividesThemAndReadBackTheSame() {
		assertThat(this.formats.setting(107_374_182_400L)).isEqualTo("100GB");
		assertThat(this.formats.setting(33_554_432L)).isEqualTo("32MB");
		assertThat(this.formats.setting(1_536L * 1024 * 1024)).isEqualTo("1536MB");
		assertThat(this.formats.setting(2L << 40)).isEqualTo("2TB");
		assertThat(this.formats.setting(1_000)).isEqualTo("1000");
		assertThat(this.formats.setting(0)).isEqualTo("0");
		for (long bytes : new long[] { 107_374_182_400L, 33_554_432L, 1_536L * 1024 * 1024, 2L << 40, 1_000, 4_096 }) {
			assertThat(DataSize.parse(this.formats.setting(bytes)).toBytes()).isEqualTo(bytes);
		}
	}

	@Test
	void sizesForPeopleAreInBinaryUnits() {
		assertThat(this.formats.size(1L << 30)).isEqualTo("1.0 GiB");
		assertThat(this.formats.size(512L)).isEqualTo("512 B");
	}

	@Test
	void capturesAndRestoresOfTheAuditLogReadAsTheComputersAndTheSizeInBinaryUnits() {
		assertThat(this.formats.activity(event("capture.complete",
				"source=OLD-PC destination=NEW-PC sizeBytes=" + (5L << 30))))
			.isEqualTo("Captured 5.0 GiB from OLD-PC for NEW-PC");
		assertThat(this.formats.activity(event("restore.confirm", "source=OLD-PC destination=NEW-PC sizeBytes=1536")))
			.isEqualTo("Restored 1.5 KiB from OLD-PC onto NEW-PC");
		assertThat(this.formats.activity(event("restore.confirm", "source=OLD-PC"))).isEqualTo(
				"Restored data from OLD-PC onto ?");
		assertThat(this.formats.activity(event("settings.update", "deleteAfter: P30D -> P9D")))
			.isEqualTo("deleteAfter: P30D -> P9D");
		assertThat(this.formats.activity(event("sign-in", null))).isEmpty();
		assertThat(this.formats.activity(event("scrub.pass", "x".repeat(500)))).hasSize(121).endsWith("\u2026");
	}

	private static AuditEvent event(String action, String detail) {
		return new AuditEvent(1, Instant.EPOCH, "someone", action, "target", AuditOutcome.SUCCESS, detail, null);
	}

	@Test
	void everyEnumValueShownHasWords() {
		for (MigrationType type : MigrationType.values()) {
			assertThat(this.formats.migrationType(type)).isNotBlank().doesNotContain("_");
		}
		for (UserAccountMode mode : UserAccountMode.values()) {
			assertThat(this.formats.accountMode(mode)).isNotBlank().doesNotContain("_");
		}
		assertThat(this.formats.migrationType(MigrationType.SIDE_BY_SIDE)).isEqualTo("Side by side");
	}

}
