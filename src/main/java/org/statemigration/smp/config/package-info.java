/**
 * Configuration that holds the application together: HTTPS bootstrap (data directory, master key, client CA, server
 * certificate and the SSL bundle built from them), security filter chains and the mapping of exceptions to problem
 * details. Other modules consume {@link org.statemigration.smp.config.TlsMaterial}.
 */
package org.statemigration.smp.config;
