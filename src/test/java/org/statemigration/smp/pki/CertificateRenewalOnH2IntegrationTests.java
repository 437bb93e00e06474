package org.statemigration.smp.pki;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class CertificateRenewalOnH2IntegrationTests extends CertificateRenewalTests {

}
