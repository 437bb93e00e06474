package org.statemigration.smp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The module diagram that Spring Modulith's {@code Documenter} writes as C4 PlantUML, in a stable form: the
 * Documenter lists modules and relationships in no fixed order, so the same code would give a different file on
 * every run. This keeps its text with those lines sorted, and renders the same relationships as a Mermaid
 * flowchart for docs/architecture.md, where a repository's web view draws it.
 */
final class ModuleDiagram {

	private static final Pattern RELATIONSHIP = Pattern
		.compile("^Rel\\(\\S+\\.(\\w+), \\S+\\.(\\w+), \"([^\"]+)\"");

	private final String plantUml;

	private final List<String> arrows;

	private ModuleDiagram(String plantUml, List<String> arrows) {
		this.plantUml = plantUml;
		this.arrows = arrows;
	}

	static ModuleDiagram of(String documenterPlantUml) {
		List<String> lines = documenterPlantUml.lines().toList();
		List<String> stable = new ArrayList<>();
		List<String> components = new ArrayList<>();
		List<String> relationships = new ArrayList<>();
		for (String line : lines) {
			if (line.trim().startsWith("Component(")) {
				components.add(line);
				continue;
			}
			if (line.startsWith("Rel(")) {
				relationships.add(line);
				continue;
			}
			if (!components.isEmpty()) {
				stable.addAll(components.stream().sorted().toList());
				components.clear();
			}
			if (!relationships.isEmpty()) {
				stable.addAll(relationships.stream().sorted().toList());
				relationships.clear();
			}
			stable.add(line);
		}
		stable.addAll(components.stream().sorted().toList());
		stable.addAll(relationships.stream().sorted().toList());
		List<String> arrows = new ArrayList<>();
		for (String line : stable) {
			Matcher relationship = RELATIONSHIP.matcher(line);
			if (relationship.find()) {
				arrows.add("  %s -->|%s| %s".formatted(name(relationship.group(1)), relationship.group(3),
						name(relationship.group(2))));
			}
		}
		return new ModuleDiagram(stable.stream().collect(Collectors.joining("\n", "", "\n")),
				arrows.stream().sorted().toList());
	}

	private static String name(String component) {
		return component.toLowerCase(Locale.ROOT);
	}

	/** The Documenter's C4 PlantUML, lines in a stable order. */
	String plantUml() {
		return this.plantUml;
	}

	/** The same relationships as a Mermaid flowchart, one arrow per line, sorted. */
	String mermaid() {
		return this.arrows.stream().collect(Collectors.joining("\n", "```mermaid\nflowchart LR\n", "\n```\n"));
	}

}
