package org.statemigration.smp.console.web;

import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.association.ComputerAssociation;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.association.LegalHoldChange;
import org.statemigration.smp.association.LegalHolds;
import org.statemigration.smp.association.NewAssociation;
import org.statemigration.smp.association.UserAccountMode;
import org.statemigration.smp.association.UserAccounts;
import org.statemigration.smp.problem.ProblemException;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Associations: the searchable list, the form that creates one, the detail page, legal hold and deletion. The
 * recovery forms of the detail page are {@link RecoveryPages}.
 */
@Controller
class AssociationPages {

	static final int PAGE_SIZE = 25;

	private final ComputerAssociations associations;

	private final LegalHolds legalHolds;

	AssociationPages(ComputerAssociations associations, LegalHolds legalHolds) {
		this.associations = associations;
		this.legalHolds = legalHolds;
	}

	@GetMapping("/console/associations")
	String list(@RequestParam(required = false) AssociationState state,
			@RequestParam(required = false) String computer, @RequestParam(defaultValue = "0") int page, Model model) {
		String search = (computer != null && !computer.isBlank()) ? computer.strip() : null;
		model.addAttribute("result", this.associations.search(state, search, Math.max(0, page), PAGE_SIZE));
		model.addAttribute("state", state);
		model.addAttribute("computer", search);
		model.addAttribute("states", AssociationState.values());
		return "console/associations";
	}

	@GetMapping("/console/associations/new")
	String form(Model model) {
		model.addAttribute("form", new AssociationForm("", "", UserAccountMode.CAPTURE_SPECIFIED_RESTORE_SPECIFIED, "", "",
				"", "", "", ""));
		model.addAttribute("modes", UserAccountMode.values());
		return "console/association-new";
	}

	@PostMapping("/console/associations")
	String create(AssociationForm form, Principal operator, Model model, HttpServletResponse response,
			RedirectAttributes redirect) {
		try {
			ComputerAssociation created = this.associations.create(form.toRequest(), operator.getName());
			redirect.addFlashAttribute("notice", "Association created from " + created.sourceComputer() + " to "
					+ created.destinationComputer() + ".");
			redirect.addAttribute("id", created.id());
			return "redirect:/console/associations/{id}";
		}
		catch (ProblemException ex) {
			model.addAttribute("error", Refusals.onForm(ex, response));
			model.addAttribute("form", form);
			model.addAttribute("modes", UserAccountMode.values());
			return "console/association-new";
		}
	}

	@GetMapping("/console/associations/{id}")
	String detail(@PathVariable UUID id, Model model) {
		model.addAttribute("association", this.associations.get(id));
		return "console/association";
	}

	@GetMapping("/console/associations/{id}/delete")
	String confirmDelete(@PathVariable UUID id, Model model) {
		model.addAttribute("association", this.associations.get(id));
		return "console/association-delete";
	}

	@PostMapping("/console/associations/{id}/delete")
	String delete(@PathVariable UUID id, @RequestParam(defaultValue = "false") boolean force, Principal operator,
			Model model, HttpServletResponse response, RedirectAttributes redirect) {
		ComputerAssociation association = this.associations.get(id);
		try {
			this.associations.delete(id, force, operator.getName());
		}
		catch (ProblemException ex) {
			model.addAttribute("association", association);
			model.addAttribute("error", Refusals.onForm(ex, response));
			return "console/association-delete";
		}
		redirect.addFlashAttribute("notice", "Association from " + association.sourceComputer() + " to "
				+ association.destinationComputer() + " deleted, with its data.");
		return "redirect:/console/associations";
	}

	@PostMapping("/console/associations/{id}/legal-hold")
	String legalHold(@PathVariable UUID id, @RequestParam boolean hold, @RequestParam(defaultValue = "") String reason,
			Principal operator, RedirectAttributes redirect) {
		try {
			this.legalHolds.change(id, new LegalHoldChange(hold, reason), operator.getName());
			redirect.addFlashAttribute("notice", hold ? "Legal hold placed." : "Legal hold lifted.");
		}
		catch (ProblemException ex) {
			Refusals.flash(ex, redirect);
		}
		redirect.addAttribute("id", id);
		return "redirect:/console/associations/{id}";
	}

	/**
	 * The create form as posted: accounts one per line (or separated by commas), and each computer's optional
	 * SMBIOS UUID and MAC addresses (one per line, or separated by commas or spaces).
	 */
	record AssociationForm(String sourceComputer, String destinationComputer, UserAccountMode mode, String accounts,
			String notes, String sourceSmbiosGuid, String sourceMacAddresses, String destinationSmbiosGuid,
			String destinationMacAddresses) {

		NewAssociation toRequest() {
			List<String> names = lines(this.accounts, "[\\r\\n,]+");
			String note = (this.notes == null || this.notes.isBlank()) ? null : this.notes.strip();
			return new NewAssociation(strip(this.sourceComputer), strip(this.destinationComputer),
					new UserAccounts(this.mode, names), note, blankToNull(this.sourceSmbiosGuid),
					lines(this.sourceMacAddresses, "[\\s,;]+"), blankToNull(this.destinationSmbiosGuid),
					lines(this.destinationMacAddresses, "[\\s,;]+"));
		}

		/** The non-blank parts of a text field. */
		static List<String> lines(String text, String separators) {
			return (text == null) ? List.of()
					: Arrays.stream(text.split(separators)).map(String::strip).filter((a) -> !a.isEmpty()).toList();
		}

		private static String blankToNull(String value) {
			return (value == null || value.isBlank()) ? null : value.strip();
		}

		private static String strip(String value) {
			return (value != null) ? value.strip() : null;
		}

	}

}
