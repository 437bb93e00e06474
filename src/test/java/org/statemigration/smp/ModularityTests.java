package org.statemigration.smp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

	private static final String DIAGRAM_BEGIN = "<!-- module diagram: written by ModularityTests -->";

	private static final String DIAGRAM_END = "<!-- end of module diagram -->";

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

	/**
	 * The module diagram of docs/architecture.md and docs/modules/components.puml is what the Documenter draws from
	 * the code, and the module table names every module there is. After a change of modules, run
	 * {@code mvn test -Dtest=ModularityTests -Dsmp.docs.update=true} to write both diagrams anew, then describe the
	 * change in the table.
	 */
	@Test
	void theArchitectureDocumentShowsTheModulesAsTheyAre() throws IOException {
		Path generated = Path.of("target", "spring-modulith-docs");
		new Documenter(this.modules, Documenter.Options.defaults().withOutputFolder(generated.toString()))
			.writeModulesAsPlantUml()
			.writeIndividualModulesAsPlantUml();
		ModuleDiagram diagram = ModuleDiagram.of(Files.readString(generated.resolve("components.puml")));
		Path plantUml = Path.of("docs", "modules", "components.puml");
		Path architecture = Path.of("docs", "architecture.md");
		if (Boolean.getBoolean("smp.docs.update")) {
			Files.createDirectories(plantUml.getParent());
			Files.writeString(plantUml, diagram.plantUml());
			String document = Files.readString(architecture);
			Files.writeString(architecture, document.substring(0, diagramStart(document)) + "\n"
					+ diagram.mermaid() + document.substring(document.indexOf(DIAGRAM_END)));
		}
		String document = Files.readString(architecture);
		String refresh = "the modules changed: run mvn test -Dtest=ModularityTests -Dsmp.docs.update=true";
		assertThat(Files.readString(plantUml)).as(refresh).isEqualTo(diagram.plantUml());
		assertThat(document.substring(diagramStart(document), document.indexOf(DIAGRAM_END))).as(refresh)
			.isEqualTo("\n" + diagram.mermaid());
		this.modules.stream()
			.map(ApplicationModule::getIdentifier)
			.forEach((module) -> assertThat(document).as("docs/architecture.md describes the module " + module)
				.contains("| `" + module + "` |"));
	}

	private static int diagramStart(String document) {
		int begin = document.indexOf(DIAGRAM_BEGIN);
		assertThat(begin).as("docs/architecture.md marks where its module diagram goes").isNotNegative();
		assertThat(document.indexOf(DIAGRAM_END)).isGreaterThan(begin);
		return begin + DIAGRAM_BEGIN.length();
	}

}
