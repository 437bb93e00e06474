package org.statemigration.smp.store;

import java.nio.file.Path;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where state stores live ({@code smp.storage.*}). The quota and the upload expiry are runtime settings.
 */
@ConfigurationProperties("smp")
@Validated
public record StoreProperties(@Valid @NotNull Storage storage) {

	public record Storage(@NotEmpty List<@Valid Folder> folders) {
	}

	/**
	 * A storage folder. {@code minFreeSpace} is {@code NNMB}, {@code NNGB} or {@code NN%} of the file system.
	 */
	public record Folder(@NotNull Path location, @DefaultValue("100") @Positive int maxClients,
			@DefaultValue("1GB") @NotNull String minFreeSpace) {
	}

}
