package org.statemigration.smp.console.web;

import java.security.Principal;
import java.time.Duration;
import java.time.format.DateTimeParseException;

import jakarta.servlet.http.HttpServletResponse;
import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ValidationException;
import org.statemigration.smp.settings.RuntimeSettings;
import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.settings.SettingsChange;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The runtime settings (ADMIN): the same change, checks and audit record as {@code PATCH /api/v1/settings}.
 */
@Controller
class SettingsPages {

	private final Settings settings;

	SettingsPages(Settings settings) {
		this.settings = settings;
	}

	@GetMapping("/console/settings")
	String show(Model model) {
		model.addAttribute("form", SettingsForm.of(this.settings.current()));
		return page(model);
	}

	@PostMapping("/console/settings")
	String change(SettingsForm form, Principal operator, Model model, HttpServletResponse response,
			RedirectAttributes redirect) {
		try {
			RuntimeSettings now = this.settings.update(form.toChange(), operator.getName());
			redirect.addFlashAttribute("notice", "Settings saved. Data is now deleted "
					+ ConsoleFormats.INSTANCE.duration(now.deleteAfter()) + " after a confirmed restore.");
			return "redirect:/console/settings";
		}
		catch (ProblemException ex) {
			model.addAttribute("error", Refusals.onForm(ex, response));
			model.addAttribute("form", form);
			return page(model);
		}
	}

	private String page(Model model) {
		model.addAttribute("current", this.settings.current());
		return "console/settings";
	}

	/**
	 * The form as posted: durations in ISO-8601, the size in bytes or with a unit ({@code 100GB}). The checkbox is
	 * a {@code Boolean}: a browser sends nothing for an unticked one.
	 */
	record SettingsForm(String deleteAfter, Boolean restoreOnlyMode, String maxStoreSize, String uploadExpiry,
			String tokenTtl) {

		static SettingsForm of(RuntimeSettings settings) {
			ConsoleFormats formats = ConsoleFormats.INSTANCE;
			return new SettingsForm(formats.iso(settings.deleteAfter()), settings.restoreOnlyMode(),
					formats.setting(settings.maxStoreSizeBytes()), formats.iso(settings.uploadExpiry()),
					formats.iso(settings.tokenTtl()));
		}

		SettingsChange toChange() {
			// an unticked checkbox is not posted at all
			return new SettingsChange(duration(this.deleteAfter, "Delete after"),
					Boolean.TRUE.equals(this.restoreOnlyMode), size(this.maxStoreSize), duration(this.uploadExpiry, "Upload expiry"),
					duration(this.tokenTtl, "Token lifetime"));
		}

		private static Duration duration(String value, String field) {
			if (value == null || value.isBlank()) {
				return null;
			}
			try {
				return Duration.parse(value.strip().toUpperCase(java.util.Locale.ROOT));
			}
			catch (DateTimeParseException ex) {
				throw new ValidationException(field + " must be an ISO-8601 duration such as P1D or PT12H");
			}
		}

		private static Long size(String value) {
			if (value == null || value.isBlank()) {
				return null;
			}
			try {
				return DataSize.parse(value.strip().toUpperCase(java.util.Locale.ROOT)).toBytes();
			}
			catch (IllegalArgumentException ex) {
				throw new ValidationException("Largest state store must be a size in bytes or such as 100GB");
			}
		}

	}

}
