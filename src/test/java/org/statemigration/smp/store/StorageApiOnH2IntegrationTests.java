package org.statemigration.smp.store;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class StorageApiOnH2IntegrationTests extends StorageApiTests {

}
