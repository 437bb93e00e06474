package org.statemigration.smp;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Verifies the module structure: each top-level package is a module that others use only through its base
 * package, with no cycles between modules.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(SmpApplication.class);

	@Test
	void modulesKeepToTheirPublicApis() {
		this.modules.verify();
	}

	@Test
	void writesModuleDocumentation() {
		new Documenter(this.modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
	}

}
