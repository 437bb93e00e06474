package org.statemigration.smp.console.web;

import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import org.statemigration.smp.association.ComputerAssociation;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.recovery.ReassignmentRequest;
import org.statemigration.smp.recovery.Reassignments;
import org.statemigration.smp.recovery.RecoveryInformationRequest;
import org.statemigration.smp.recovery.RecoveryInformationViews;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The recovery viewer's forms on the association page. Recovery information is the answer to the POST itself,
 * never stored in the session nor redirected to, and never cached: it is shown once.
 */
@Controller
class RecoveryPages {

	private final RecoveryInformationViews views;

	private final Reassignments reassignments;

	private final ComputerAssociations associations;

	RecoveryPages(RecoveryInformationViews views, Reassignments reassignments, ComputerAssociations associations) {
		this.views = views;
		this.reassignments = reassignments;
		this.associations = associations;
	}

	@PostMapping("/console/associations/{id}/recovery-information")
	String reveal(@PathVariable UUID id, @RequestParam(defaultValue = "") String reason, Model model,
			HttpServletResponse response) {
		response.setHeader("Cache-Control", "no-store");
		ComputerAssociation association = this.associations.get(id);
		try {
			model.addAttribute("recovery", this.views.view(id, new RecoveryInformationRequest(reason)));
			model.addAttribute("association", association);
			return "console/recovery-information";
		}
		catch (ProblemException ex) {
			model.addAttribute("association", association);
			model.addAttribute("recoveryError", Refusals.onForm(ex, response));
			model.addAttribute("reason", reason);
			return "console/association";
		}
	}

	@PostMapping("/console/associations/{id}/reassign")
	String reassign(@PathVariable UUID id, @RequestParam(defaultValue = "") String destinationComputer,
			@RequestParam(defaultValue = "") String reason, RedirectAttributes redirect) {
		try {
			ComputerAssociation moved = this.reassignments.reassign(id,
					new ReassignmentRequest(destinationComputer.strip(), reason));
			redirect.addFlashAttribute("notice", "The association now restores to " + moved.destinationComputer()
					+ ". The previous destination's tokens no longer work.");
		}
		catch (ProblemException ex) {
			Refusals.flash(ex, redirect);
		}
		redirect.addAttribute("id", id);
		return "redirect:/console/associations/{id}";
	}

}
