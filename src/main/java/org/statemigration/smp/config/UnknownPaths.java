package org.statemigration.smp.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The last rule of the operators' chains: a request that no earlier rule allowed. A path that some endpoint
 * answers (with this method or another) is refused, so that a role that does not allow it gets 403 and the refusal
 * is audited; a path that no endpoint answers is let through to the dispatcher for a signed-in operator, who then
 * gets 404 {@code not-found}, and nothing is audited: a typo is not an attempt on anything. Without credentials
 * nothing is let through (401, which tells nothing about which paths exist).
 * <p>
 * Whether an endpoint answers is asked of the dispatcher's own handler mappings, on a copy of the request that
 * keeps the attributes they set to itself. The static resources' catch-all mapping does not count: it maps every
 * path, and answers 404 for what is not a file of the console's assets.
 */
final class UnknownPaths implements AuthorizationManager<RequestAuthorizationContext> {

	private static final AuthorizationDecision DENIED = new AuthorizationDecision(false);

	private static final AuthorizationDecision TO_NOT_FOUND = new AuthorizationDecision(true);

	private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

	private final ApplicationContext context;

	private volatile List<HandlerMapping> mappings;

	UnknownPaths(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		Authentication caller = authentication.get();
		if (caller == null || !caller.isAuthenticated() || this.trust.isAnonymous(caller)) {
			return DENIED;
		}
		return answered(context.getRequest()) ? DENIED : TO_NOT_FOUND;
	}

	/** Whether any endpoint answers the request's path, with its method or another one. */
	boolean answered(HttpServletRequest request) {
		HttpServletRequest copy = new PrivateAttributes(request);
		ServletRequestPathUtils.parseAndCache(copy);
		for (HandlerMapping mapping : mappings()) {
			try {
				HandlerExecutionChain chain = mapping.getHandler(copy);
				if (chain != null && !(chain.getHandler() instanceof ResourceHttpRequestHandler)) {
					return true;
				}
			}
			catch (Exception ex) {
				// the path is mapped, but not for this method or media type
				return true;
			}
		}
		return false;
	}

	/** The handler mappings as the dispatcher finds them: every bean of the type, in their order. */
	private List<HandlerMapping> mappings() {
		List<HandlerMapping> found = this.mappings;
		if (found == null) {
			List<HandlerMapping> all = new ArrayList<>(BeanFactoryUtils
				.beansOfTypeIncludingAncestors(this.context, HandlerMapping.class, true, false)
				.values());
			AnnotationAwareOrderComparator.sort(all);
			found = List.copyOf(all);
			this.mappings = found;
		}
		return found;
	}

	/** The request, with attributes of its own: a handler mapping's lookup leaves no trace on the real one. */
	private static final class PrivateAttributes extends HttpServletRequestWrapper {

		private final Map<String, Object> attributes = new HashMap<>();

		PrivateAttributes(HttpServletRequest request) {
			super(request);
		}

		@Override
		public Object getAttribute(String name) {
			return this.attributes.containsKey(name) ? this.attributes.get(name) : super.getAttribute(name);
		}

		@Override
		public void setAttribute(String name, Object value) {
			this.attributes.put(name, value);
		}

		@Override
		public void removeAttribute(String name) {
			this.attributes.put(name, null);
		}

	}

}
