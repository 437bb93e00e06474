package org.statemigration.smp.settings.web;

import java.security.Principal;

import org.statemigration.smp.settings.RuntimeSettings;
import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.settings.SettingsChange;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/settings")
class SettingsController {

	private final Settings settings;

	SettingsController(Settings settings) {
		this.settings = settings;
	}

	@GetMapping
	RuntimeSettings get() {
		return this.settings.current();
	}

	@PatchMapping
	RuntimeSettings update(@RequestBody SettingsChange change, Principal operator) {
		return this.settings.update(change, operator.getName());
	}

}
