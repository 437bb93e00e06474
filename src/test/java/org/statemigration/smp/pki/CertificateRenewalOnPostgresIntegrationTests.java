package org.statemigration.smp.pki;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class CertificateRenewalOnPostgresIntegrationTests extends CertificateRenewalTests {

}
