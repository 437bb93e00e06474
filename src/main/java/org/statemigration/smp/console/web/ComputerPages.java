package org.statemigration.smp.console.web;

import java.security.Principal;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;
import org.statemigration.smp.association.Computer;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.association.ComputerIdentities;
import org.statemigration.smp.association.ComputerIdentity;
import org.statemigration.smp.association.Computers;
import org.statemigration.smp.pki.ClientCertificate;
import org.statemigration.smp.pki.ClientCertificates;
import org.statemigration.smp.pki.EnrollmentCodes;
import org.statemigration.smp.problem.ProblemException;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Computers with their certificates; replacing a computer's SMBIOS UUID and MAC addresses; issuing an enrollment code (the answer to the POST, shown once and never
 * cached) and blocking a certificate.
 */
@Controller
class ComputerPages {

	private static final int MAX_RESULTS = 200;

	private final Computers computers;

	private final ClientCertificates certificates;

	private final EnrollmentCodes codes;

	private final ComputerAssociations associations;

	private final ComputerIdentities identities;

	ComputerPages(Computers computers, ClientCertificates certificates, EnrollmentCodes codes,
			ComputerAssociations associations, ComputerIdentities identities) {
		this.computers = computers;
		this.identities = identities;
		this.certificates = certificates;
		this.codes = codes;
		this.associations = associations;
	}

	@GetMapping("/console/computers")
	String list(@RequestParam(required = false) String name, Model model) {
		String search = (name != null) ? name.strip() : "";
		List<ComputerRow> rows = this.computers.search(search, MAX_RESULTS)
			.stream()
			.map((computer) -> ComputerRow.of(computer, this.certificates.forComputer(computer.id())))
			.toList();
		model.addAttribute("rows", rows);
		model.addAttribute("name", search);
		model.addAttribute("limited", rows.size() == MAX_RESULTS);
		return "console/computers";
	}

	@GetMapping("/console/computers/{name}")
	String detail(@PathVariable String name, Model model) {
		Computer computer = this.computers.get(name);
		model.addAttribute("computer", computer);
		model.addAttribute("macLines", String.join("\n", computer.macAddresses()));
		model.addAttribute("certificates", this.certificates.forComputer(computer.id()));
		model.addAttribute("associations",
				this.associations.search(null, computer.name(), 0, AssociationPages.PAGE_SIZE));
		return "console/computer";
	}

	@PostMapping("/console/computers/{name}/enrollment-codes")
	String issueCode(@PathVariable String name, Principal operator, Model model, HttpServletResponse response) {
		response.setHeader("Cache-Control", "no-store");
		Computer computer = this.computers.get(name);
		model.addAttribute("computer", computer);
		model.addAttribute("issued", this.codes.issue(computer.name(), operator.getName()));
		return "console/enrollment-code";
	}

	@PostMapping("/console/computers/{name}/identity")
	String replaceIdentity(@PathVariable String name, @RequestParam(defaultValue = "") String smbiosGuid,
			@RequestParam(defaultValue = "") String macAddresses, Principal operator, RedirectAttributes redirect) {
		Computer computer = this.computers.get(name);
		try {
			ComputerIdentity identity = ComputerIdentity.of(smbiosGuid.strip(),
					AssociationPages.AssociationForm.lines(macAddresses, "[\\s,;]+"), "");
			this.identities.replace(computer.name(), identity, operator.getName());
			redirect.addFlashAttribute("notice", "The SMBIOS UUID and MAC addresses of " + computer.name()
					+ " are saved.");
		}
		catch (ProblemException ex) {
			Refusals.flash(ex, redirect);
		}
		redirect.addAttribute("name", computer.name());
		return "redirect:/console/computers/{name}";
	}

	@PostMapping("/console/certificates/{serial}/block")
	String block(@PathVariable String serial, @RequestParam(defaultValue = "") String reason,
			@RequestParam String computer, RedirectAttributes redirect) {
		// the computer names the page to return to; it must be a computer, not an address elsewhere
		Computer owner = this.computers.get(computer);
		try {
			ClientCertificate blocked = this.certificates.block(serial, reason.strip());
			redirect.addFlashAttribute("notice", "Certificate " + blocked.serial()
					+ " is blocked: requests with it and tokens bound to it are refused from now on.");
		}
		catch (ProblemException ex) {
			Refusals.flash(ex, redirect);
		}
		redirect.addAttribute("name", owner.name());
		return "redirect:/console/computers/{name}";
	}

	/** A computer in the list, with a summary of its certificates. */
	record ComputerRow(Computer computer, int certificates, int blocked) {

		static ComputerRow of(Computer computer, List<ClientCertificate> certificates) {
			return new ComputerRow(computer, certificates.size(),
					(int) certificates.stream().filter(ClientCertificate::blocked).count());
		}

	}

}
