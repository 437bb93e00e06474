package org.statemigration.smp.config;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what a request may make the server read before a controller sees it. (The console's forms are bounded
 * by Boot's {@code server.tomcat.max-http-form-post-size}.)
 * @param maxJsonBody the largest body of any request that is not a state store upload (every JSON endpoint, the
 * anonymous enrollment included): the largest legitimate one, an enrollment with a CSR, is a few kilobytes
 */
@Validated
@ConfigurationProperties("smp.http")
record HttpLimitsProperties(@DefaultValue("64KB") @NotNull DataSize maxJsonBody) {

}
