package org.statemigration.smp.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where state stores live and how large they may grow ({@code smp.storage.*}, {@code smp.quota.*},
 * {@code smp.upload.*}).
 */
@ConfigurationProperties("smp")
@Validated
public record StoreProperties(@Valid @NotNull Storage storage, @DefaultValue @Valid Quota quota,
		@DefaultValue @Valid Upload upload) {

	public record Storage(@NotEmpty List<@Valid Folder> folders) {
	}

	/**
	 * A storage folder. {@code minFreeSpace} is {@code NNMB}, {@code NNGB} or {@code NN%} of the file system.
	 */
	public record Folder(@NotNull Path location, @DefaultValue("100") @Positive int maxClients,
			@DefaultValue("1GB") @NotNull String minFreeSpace) {
	}

	public record Quota(@DefaultValue("100GB") @NotNull DataSize maxStoreSize) {
	}

	public record Upload(@DefaultValue("PT24H") @NotNull Duration expiry) {
	}

}
