package org.statemigration.smp.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class of sign-in with an OpenID provider: the packaged server in a process of its own, a provider
 * (Spring Authorization Server) in another and, for the console, headless Chromium. Each class takes a minute or
 * more: the pom's default executions leave them out, and {@code mvn verify -Psso} runs these classes only, on H2
 * and, those also marked {@link OnBothDatabases}, again on PostgreSQL.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(ProviderTest.TAG)
public @interface ProviderTest {

	/** The tag that the pom's default executions leave out and its {@code sso} profile selects. */
	String TAG = "sso";

}
