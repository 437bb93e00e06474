package org.statemigration.smp;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

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

	/** The command-line client is a program of its own: it talks HTTP to a server and uses none of its code. */
	@Test
	void theCommandLineClientDependsOnNoServerModule() {
		ApplicationModule client = this.modules.getModuleByName("client").orElseThrow();
		assertThat(client.getDirectDependencies(this.modules).uniqueModules()).isEmpty();
		ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage("org.statemigration.smp.client..")
			.should()
			.dependOnClassesThat()
			.resideOutsideOfPackages("org.statemigration.smp.client..", "java..", "javax..", "picocli..",
					"tools.jackson..", "org.bouncycastle..")
			.check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
				.importPackages("org.statemigration.smp.client"));
	}

	@Test
	void writesModuleDocumentation() {
		new Documenter(this.modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
	}

}
