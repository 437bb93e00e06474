package org.statemigration.smp.console.web;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.problem.InvalidStateException;
import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.mvc.support.RedirectAttributesModelMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** How a refused console action is shown: flashed, on the form again, or as the not-found page. */
class RefusalsTests {

	@Test
	void aRefusalIsFlashedToThePageRedirectedTo() {
		RedirectAttributesModelMap redirect = new RedirectAttributesModelMap();
		Refusals.flash(new InvalidStateException("The association is under legal hold"), redirect);
		assertThat(redirect.getFlashAttributes().get("error")).isEqualTo("The association is under legal hold");
	}

	@Test
	void aRefusalBecauseTheTargetDoesNotExistIsRethrownForTheNotFoundPage() {
		RedirectAttributesModelMap redirect = new RedirectAttributesModelMap();
		NotFoundException missing = new NotFoundException("No association");
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> Refusals.flash(missing, redirect))
			.isSameAs(missing);
		assertThat(redirect.getFlashAttributes()).isEmpty();
	}

	@Test
	void aFormShownAgainHasTheRefusalsStatusAndMessage() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		assertThat(Refusals.onForm(new ValidationException("A reason is required"), response))
			.isEqualTo("A reason is required");
		assertThat(response.getStatus()).isEqualTo(400);
		Refusals.onForm(new InvalidStateException("The last administrator stays"), response);
		assertThat(response.getStatus()).isEqualTo(409);
	}

}
