package org.statemigration.smp.store.internal;

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
 * Where state stores live ({@code smp.storage.*}). The quota and the upload expiry are runtime settings.
 * @param dataDir {@code smp.data-dir}: its volume holds the embedded database, so uploads leave room on it
 */
@ConfigurationProperties("smp")
@Validated
public record StoreProperties(@Valid @NotNull Storage storage, @DefaultValue("./data") @NotNull Path dataDir) {

	/**
	 * @param databaseReserve room left free on the data directory's volume whatever a folder's minimum free space
	 * says, when a storage folder shares that volume: the embedded database closes when it cannot write
	 * @param reconcileInterval how often each server releases what failed requests left behind (reservations,
	 * unfinished uploads, upload leases) and records that it is alive
	 */
	public record Storage(@NotEmpty List<@Valid Folder> folders, @DefaultValue("256MB") @NotNull DataSize databaseReserve,
			@DefaultValue("PT1M") @NotNull Duration reconcileInterval) {
	}

	/**
	 * A storage folder. {@code minFreeSpace} is {@code NNMB}, {@code NNGB} or {@code NN%} of the file system.
	 */
	public record Folder(@NotNull Path location, @DefaultValue("100") @Positive int maxClients,
			@DefaultValue("1GB") @NotNull String minFreeSpace) {
	}

}
