package org.statemigration.smp.config;

import org.statemigration.smp.admin.OperatorPasswordChanged;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;

/**
 * Ends every console session of an operator whose password changed (in the sessions' table, so on every server of
 * a cluster at once), within the change's transaction: whoever signed in with the old password is signed out.
 */
@Component
class ConsoleSessionsEnding {

	private final ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions;

	ConsoleSessionsEnding(ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions) {
		this.sessions = sessions;
	}

	@EventListener
	void passwordChanged(OperatorPasswordChanged event) {
		FindByIndexNameSessionRepository<? extends Session> repository = this.sessions.getIfAvailable();
		if (repository != null) {
			for (String id : repository.findByPrincipalName(event.username()).keySet()) {
				repository.deleteById(id);
			}
		}
	}

}
