package org.statemigration.smp.settings;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.problem.ValidationException;
import org.statemigration.smp.settings.internal.SettingRepository;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The settings in force: the configured defaults, overridden by what operators changed through the API. Read
 * from the database every time, so a change made on one server applies on all of them at once.
 */
@Service
public class Settings {

	private static final Log logger = LogFactory.getLog(Settings.class);

	static final String DELETE_AFTER = "deleteAfter";

	static final String RESTORE_ONLY_MODE = "restoreOnlyMode";

	static final String MAX_STORE_SIZE = "maxStoreSizeBytes";

	static final String UPLOAD_EXPIRY = "uploadExpiry";

	static final String TOKEN_TTL = "tokenTtl";

	private final SettingRepository settings;

	private final SettingsProperties properties;

	private final AuditLog audit;

	private final Clock clock;

	public Settings(SettingRepository settings, SettingsProperties properties, AuditLog audit,
			Clock clock) {
		this.settings = settings;
		this.properties = properties;
		this.audit = audit;
		this.clock = clock;
	}

	@Transactional(readOnly = true)
	public RuntimeSettings current() {
		RuntimeSettings defaults = this.properties.defaults();
		Map<String, String> stored = this.settings.all();
		return new RuntimeSettings(duration(stored, DELETE_AFTER, defaults.deleteAfter()),
				Boolean.parseBoolean(stored.getOrDefault(RESTORE_ONLY_MODE, String.valueOf(defaults.restoreOnlyMode()))),
				Long.parseLong(stored.getOrDefault(MAX_STORE_SIZE, String.valueOf(defaults.maxStoreSizeBytes()))),
				duration(stored, UPLOAD_EXPIRY, defaults.uploadExpiry()), duration(stored, TOKEN_TTL, defaults.tokenTtl()));
	}

	/**
	 * Applies a change and records who made it.
	 * @throws ValidationException for a value outside the bounds of its setting
	 * @throws UnsafeSettingException for a deletion delay below one hour, unless immediate deletion is allowed
	 */
	@Transactional
	public RuntimeSettings update(SettingsChange change, String actor) {
		validate(change);
		this.settings.lock();
		RuntimeSettings before = current();
		var now = this.clock.instant();
		if (change.deleteAfter() != null) {
			put(DELETE_AFTER, before.deleteAfter().toString(), change.deleteAfter().toString(), actor, now);
		}
		if (change.restoreOnlyMode() != null) {
			put(RESTORE_ONLY_MODE, String.valueOf(before.restoreOnlyMode()), change.restoreOnlyMode().toString(), actor,
					now);
		}
		if (change.maxStoreSizeBytes() != null) {
			put(MAX_STORE_SIZE, String.valueOf(before.maxStoreSizeBytes()), change.maxStoreSizeBytes().toString(),
					actor, now);
		}
		if (change.uploadExpiry() != null) {
			put(UPLOAD_EXPIRY, before.uploadExpiry().toString(), change.uploadExpiry().toString(), actor, now);
		}
		if (change.tokenTtl() != null) {
			put(TOKEN_TTL, before.tokenTtl().toString(), change.tokenTtl().toString(), actor, now);
		}
		RuntimeSettings after = current();
		// fail-closed: the change and its record commit together or not at all
		this.audit.recordAs(actor, "settings.update", "settings", AuditOutcome.SUCCESS,
				"before=" + before + " after=" + after);
		logger.info("Settings changed by " + actor + ": " + after);
		return after;
	}

	private void put(String name, String oldValue, String newValue, String actor, java.time.Instant now) {
		if (!newValue.equals(oldValue)) {
			this.settings.put(name, oldValue, newValue, actor, now);
		}
	}

	private void validate(SettingsChange change) {
		if (change.deleteAfter() != null) {
			SettingBounds.checkDeleteAfter(change.deleteAfter());
			if (SettingBounds.needsImmediateDeleteAllowance(change.deleteAfter())
					&& !this.properties.retention().allowImmediateDelete()) {
				throw new UnsafeSettingException("deleteAfter below " + SettingBounds.SAFE_DELETE_AFTER
						+ " deletes user state (almost) the moment a restore is confirmed; it is refused unless "
						+ "smp.retention.allow-immediate-delete=true");
			}
		}
		if (change.maxStoreSizeBytes() != null) {
			SettingBounds.checkMaxStoreSize(change.maxStoreSizeBytes());
		}
		if (change.uploadExpiry() != null) {
			SettingBounds.checkUploadExpiry(change.uploadExpiry());
		}
		if (change.tokenTtl() != null) {
			SettingBounds.checkTokenTtl(change.tokenTtl());
		}
	}

	/** Immediate deletion is dangerous enough to be said at every start. */
	@EventListener(ApplicationReadyEvent.class)
	void warnAboutImmediateDeletion() {
		if (this.properties.retention().allowImmediateDelete()) {
			logger.warn("smp.retention.allow-immediate-delete=true: restored user state may be deleted the moment "
					+ "its restore is confirmed (deleteAfter is now " + current().deleteAfter() + ")");
		}
	}

	private static Duration duration(Map<String, String> stored, String name, Duration fallback) {
		String value = stored.get(name);
		return (value != null) ? Duration.parse(value) : fallback;
	}

}
