package org.statemigration.smp.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.problem.ProblemType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statuses of the problem types are those of the API reference, both ways: every status and slug that
 * {@code docs/api.md} promises is what some problem type is answered with (or, for the container's and the
 * framework's own refusals, what the status alone is answered with), and every problem type is answered as the
 * reference says. The reference states them in its tables of status and slug and in its prose ("409
 * {@code invalid-state}"); both are read.
 */
class ProblemStatusesTests {

	private static final Path API_REFERENCE = Path.of("docs", "api.md");

	private static final Pattern SLUG = Pattern.compile("`(?:urn:smp:problem:)?([a-z][a-z-]*)`");

	private static final Pattern STATUS_AND_SLUG = Pattern
		.compile("\\b([1-5]\\d\\d) (?:with type )?`(?:urn:smp:problem:)?([a-z][a-z-]*)`");

	@Test
	void everyProblemTypeIsAnsweredWithTheStatusTheApiReferenceGivesItsSlug() throws IOException {
		Set<Answer> documented = documented();
		for (ProblemType type : ProblemType.values()) {
			assertThat(documented).as(type.name()).contains(answerOf(type));
		}
	}

	@Test
	void everyStatusAndSlugOfTheApiReferenceIsTheAnswerOfAProblemTypeOrOfTheStatusAlone() throws IOException {
		Set<Answer> ofTypes = Arrays.stream(ProblemType.values()).map(ProblemStatusesTests::answerOf)
			.collect(Collectors.toSet());
		Set<Integer> statusesOfTypes = ofTypes.stream().map(Answer::status).collect(Collectors.toSet());
		for (Answer answer : documented()) {
			if (statusesOfTypes.contains(answer.status())) {
				assertThat(ofTypes).as(answer.toString()).contains(answer);
			}
			else {
				assertThat(ProblemStatuses.slugFor(answer.status())).as(answer.toString()).isEqualTo(answer.slug());
			}
		}
	}

	@Test
	void theApiReferenceIsReadInFull() throws IOException {
		assertThat(documented()).contains(new Answer(405, "validation"), new Answer(460, "digest-mismatch"),
				new Answer(401, "token-invalid"), new Answer(409, "duplicate-association"),
				new Answer(500, "internal"), new Answer(503, "database-unavailable"));
	}

	@Test
	void anAnswerKnownOnlyByItsStatusHasTheSlugOfTheGeneralTypeOfThatStatus() {
		assertThat(ProblemStatuses.slugFor(401)).isEqualTo("unauthorized");
		assertThat(ProblemStatuses.slugFor(403)).isEqualTo("forbidden");
		assertThat(ProblemStatuses.slugFor(404)).isEqualTo("not-found");
		assertThat(ProblemStatuses.slugFor(408)).isEqualTo("request-timeout");
		assertThat(ProblemStatuses.slugFor(413)).isEqualTo("request-too-large");
		assertThat(ProblemStatuses.slugFor(415)).isEqualTo("unsupported-media-type");
		assertThat(ProblemStatuses.slugFor(503)).isEqualTo("server-busy");
		assertThat(ProblemStatuses.slugFor(400)).isEqualTo("validation");
		assertThat(ProblemStatuses.slugFor(405)).isEqualTo("validation");
		assertThat(ProblemStatuses.slugFor(416)).isEqualTo("validation");
		assertThat(ProblemStatuses.slugFor(429)).isEqualTo("validation");
		assertThat(ProblemStatuses.slugFor(501)).isEqualTo("validation");
		assertThat(ProblemStatuses.slugFor(505)).isEqualTo("validation");
		assertThat(ProblemStatuses.slugFor(500)).isEqualTo("internal");
		assertThat(ProblemStatuses.slugFor(502)).isEqualTo("internal");
	}

	private static Answer answerOf(ProblemType type) {
		return new Answer(ProblemStatuses.of(type).value(), type.slug());
	}

	/** Every status with its slug that the API reference names, in its tables and in its text. */
	private static Set<Answer> documented() throws IOException {
		List<String> lines = Files.readAllLines(API_REFERENCE);
		Set<Answer> answers = new LinkedHashSet<>(inTables(lines));
		Matcher inText = STATUS_AND_SLUG.matcher(String.join(" ", lines).replaceAll("\\s+", " "));
		while (inText.find()) {
			answers.add(new Answer(Integer.parseInt(inText.group(1)), inText.group(2)));
		}
		return answers;
	}

	/** The rows of the tables whose columns include {@code status} and {@code slug}. */
	private static Set<Answer> inTables(List<String> lines) {
		Set<Answer> answers = new LinkedHashSet<>();
		int statusColumn = -1;
		int slugColumn = -1;
		for (String line : lines) {
			String row = line.strip();
			if (!row.startsWith("|")) {
				statusColumn = -1;
				continue;
			}
			List<String> cells = Arrays.stream(row.substring(1).split("\\|")).map(String::strip).toList();
			if (cells.contains("status") && cells.contains("slug")) {
				statusColumn = cells.indexOf("status");
				slugColumn = cells.indexOf("slug");
			}
			else if (statusColumn >= 0 && cells.get(statusColumn).matches("\\d{3}")) {
				int status = Integer.parseInt(cells.get(statusColumn));
				Matcher slugs = SLUG.matcher(cells.get(slugColumn));
				while (slugs.find()) {
					answers.add(new Answer(status, slugs.group(1)));
				}
			}
		}
		assertThat(answers).as("rows of status and slug in " + API_REFERENCE).isNotEmpty();
		return answers;
	}

	record Answer(int status, String slug) {
	}

}
