package org.statemigration.smp.console.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.audit.AuditFilter;
import org.statemigration.smp.audit.AuditTrail;
import org.statemigration.smp.scrub.DamagedStores;
import org.statemigration.smp.scrub.Scrub;
import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.store.StorageReservations;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The first page after sign-in: storage folders with their capacity, associations by state, restore-only mode and
 * what happened lately (the audit log for those who may read it, the newest associations for the others), and the
 * integrity scrub: its last pass and every damaged state store.
 */
@Controller
class DashboardController {

	private static final int RECENT = 8;

	private final StorageReservations storage;

	private final Settings settings;

	private final ComputerAssociations associations;

	private final AuditTrail audit;

	private final Scrub scrub;

	private final DamagedStores damaged;

	DashboardController(StorageReservations storage, Settings settings, ComputerAssociations associations,
			AuditTrail audit, Scrub scrub, DamagedStores damaged) {
		this.storage = storage;
		this.settings = settings;
		this.associations = associations;
		this.audit = audit;
		this.scrub = scrub;
		this.damaged = damaged;
	}

	@GetMapping("/")
	String root() {
		return "redirect:/console";
	}

	@GetMapping("/console")
	String dashboard(@ModelAttribute("me") SignedInOperator me, Model model) {
		model.addAttribute("bars", this.storage.usage().stream().map(CapacityBar::of).toList());
		model.addAttribute("restoreOnlyMode", this.settings.current().restoreOnlyMode());
		Map<AssociationState, Long> byState = new LinkedHashMap<>();
		for (AssociationState state : AssociationState.values()) {
			byState.put(state, this.associations.search(state, null, 0, 1).total());
		}
		model.addAttribute("byState", byState);
		model.addAttribute("recentAssociations", this.associations.search(null, null, 0, RECENT).items());
		model.addAttribute("scrub", this.scrub.status());
		model.addAttribute("damagedStores", this.damaged.list());
		if (me.auditor()) {
			// the audit log is for auditors and administrators only, as on the API
			model.addAttribute("recentEvents",
					this.audit.search(new AuditFilter(null, null, null, null), 0, RECENT).items());
		}
		return "console/dashboard";
	}

}
