package org.statemigration.smp.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.statemigration.smp.admin.Role;
import org.statemigration.smp.problem.ProblemType;

/**
 * What the OpenAPI document says of each endpoint beyond its controller: who may call it (the security scheme, and
 * for operators the roles of {@link SecurityConfiguration}, in the extension {@code x-smp-roles}) and the problem
 * documents it may answer, one response per status, each naming its problem types. The problems are those that
 * every endpoint of its kind may get (authentication, a malformed request, the database unavailable) and those of
 * the endpoint itself, as the tables of {@code docs/api.md} list them.
 */
final class ApiDocumentation implements OpenApiCustomizer {

	private static final String TYPE_PREFIX = "urn:smp:problem:";

	private static final String PROBLEM_JSON = "application/problem+json";

	private static final List<String> ANY_ROLE = roles(Role.ADMIN, Role.OSD_MANAGER, Role.RECOVERY_VIEWER, Role.AUDITOR);

	/** The roles that may call each operator endpoint, as {@link SecurityConfiguration} allows them. */
	private static final Map<String, List<String>> ROLES = Map.ofEntries(
			Map.entry("POST /api/v1/associations", roles(Role.OSD_MANAGER)),
			Map.entry("POST /api/v1/associations/import", roles(Role.OSD_MANAGER)),
			Map.entry("GET /api/v1/associations", ANY_ROLE),
			Map.entry("GET /api/v1/associations/{id}", ANY_ROLE),
			Map.entry("DELETE /api/v1/associations/{id}", roles(Role.OSD_MANAGER)),
			Map.entry("PUT /api/v1/associations/{id}/legal-hold", roles(Role.ADMIN)),
			Map.entry("POST /api/v1/associations/{id}/recovery-information", roles(Role.RECOVERY_VIEWER)),
			Map.entry("POST /api/v1/associations/{id}/reassign", roles(Role.RECOVERY_VIEWER)),
			Map.entry("GET /api/v1/computers", ANY_ROLE),
			Map.entry("GET /api/v1/computers/{name}", ANY_ROLE),
			Map.entry("POST /api/v1/computers/{name}/enrollment-codes", roles(Role.OSD_MANAGER)),
			Map.entry("PUT /api/v1/computers/{name}/identity", roles(Role.OSD_MANAGER)),
			Map.entry("POST /api/v1/certificates/{serial}/block", roles(Role.OSD_MANAGER)),
			Map.entry("POST /api/v1/admins", roles(Role.ADMIN)),
			Map.entry("GET /api/v1/admins", roles(Role.ADMIN)),
			Map.entry("PATCH /api/v1/admins/{username}", roles(Role.ADMIN)),
			Map.entry("POST /api/v1/admins/{username}/password-reset", roles(Role.ADMIN)),
			Map.entry("POST /api/v1/me/password", ANY_ROLE),
			Map.entry("GET /api/v1/settings", ANY_ROLE),
			Map.entry("PATCH /api/v1/settings", roles(Role.ADMIN)),
			Map.entry("GET /api/v1/storage", ANY_ROLE),
			Map.entry("GET /api/v1/reports/migration-status", ANY_ROLE),
			Map.entry("GET /api/v1/audit", roles(Role.AUDITOR)),
			Map.entry("GET /api/v1/audit/verify", roles(Role.AUDITOR)),
			Map.entry("GET /api/v1/scrub", roles(Role.AUDITOR)),
			Map.entry("POST /api/v1/scrub/stores/{storeId}/check", roles(Role.ADMIN)));

	/** The problems of each endpoint beyond those of its kind (see {@link Access#problems()}). */
	private static final Map<String, List<ProblemType>> PROBLEMS = Map.ofEntries(
			Map.entry("POST /api/v1/associations",
					List.of(ProblemType.DUPLICATE_ASSOCIATION, ProblemType.IDENTITY_CONFLICT)),
			Map.entry("PUT /api/v1/computers/{name}/identity", List.of(ProblemType.IDENTITY_CONFLICT)),
			Map.entry("POST /api/v1/associations/import",
					List.of(ProblemType.REQUEST_TOO_LARGE, ProblemType.UNSUPPORTED_MEDIA_TYPE, ProblemType.INVALID_STATE,
							ProblemType.AUDIT_UNAVAILABLE, ProblemType.REQUEST_TIMEOUT)),
			Map.entry("DELETE /api/v1/associations/{id}",
					List.of(ProblemType.INVALID_STATE, ProblemType.AUDIT_UNAVAILABLE)),
			Map.entry("POST /api/v1/associations/{id}/recovery-information", List.of(ProblemType.AUDIT_UNAVAILABLE)),
			Map.entry("POST /api/v1/associations/{id}/reassign",
					List.of(ProblemType.INVALID_STATE, ProblemType.AUDIT_UNAVAILABLE)),
			Map.entry("POST /api/v1/admins", List.of(ProblemType.INVALID_STATE)),
			Map.entry("PATCH /api/v1/admins/{username}", List.of(ProblemType.INVALID_STATE)),
			Map.entry("PATCH /api/v1/settings", List.of(ProblemType.UNSAFE_SETTING, ProblemType.AUDIT_UNAVAILABLE)),
			Map.entry("POST /api/v1/enrollment",
					List.of(ProblemType.ENROLLMENT_CODE_INVALID, ProblemType.TOO_MANY_ATTEMPTS,
							ProblemType.IDENTITY_CONFLICT)),
			Map.entry("GET /api/v1/mp/status", List.of(ProblemType.IDENTITY_CONFLICT)),
			Map.entry("POST /api/v1/mp/request-state-store",
					List.of(ProblemType.NO_ASSOCIATION, ProblemType.NO_STATE_STORE, ProblemType.INVALID_STATE,
							ProblemType.STORE_DAMAGED, ProblemType.RESTORE_ONLY_MODE, ProblemType.SERVER_BUSY,
							ProblemType.INSUFFICIENT_STORAGE)),
			Map.entry("POST /api/v1/mp/release-state-store",
					List.of(ProblemType.INVALID_STATE, ProblemType.AUDIT_UNAVAILABLE)),
			Map.entry("PUT /api/v1/stores/{associationId}",
					List.of(ProblemType.DIGEST_MISMATCH, ProblemType.INVALID_STATE, ProblemType.LENGTH_REQUIRED,
							ProblemType.QUOTA_EXCEEDED, ProblemType.CAPTURE_IN_PROGRESS, ProblemType.SERVER_BUSY,
							ProblemType.STORAGE_UNAVAILABLE, ProblemType.INSUFFICIENT_STORAGE,
							ProblemType.REQUEST_TIMEOUT)),
			Map.entry("GET /api/v1/stores/{associationId}",
					List.of(ProblemType.NO_STATE_STORE, ProblemType.INVALID_STATE, ProblemType.STORE_DAMAGED,
							ProblemType.SERVER_BUSY)),
			Map.entry("HEAD /api/v1/stores/{associationId}",
					List.of(ProblemType.NO_STATE_STORE, ProblemType.INVALID_STATE, ProblemType.STORE_DAMAGED)),
			Map.entry("POST /api/v1/uploads",
					List.of(ProblemType.UNSUPPORTED_TUS_VERSION, ProblemType.QUOTA_EXCEEDED,
							ProblemType.UNSUPPORTED_MEDIA_TYPE, ProblemType.DIGEST_MISMATCH,
							ProblemType.CAPTURE_IN_PROGRESS, ProblemType.SERVER_BUSY, ProblemType.INSUFFICIENT_STORAGE)),
			Map.entry("HEAD /api/v1/uploads/{uploadId}",
					List.of(ProblemType.UNSUPPORTED_TUS_VERSION, ProblemType.UPLOAD_EXPIRED,
							ProblemType.DIGEST_MISMATCH)),
			Map.entry("PATCH /api/v1/uploads/{uploadId}",
					List.of(ProblemType.UNSUPPORTED_TUS_VERSION, ProblemType.UPLOAD_OFFSET_CONFLICT,
							ProblemType.UPLOAD_EXPIRED, ProblemType.CHECKSUM_MISMATCH, ProblemType.DIGEST_MISMATCH,
							ProblemType.QUOTA_EXCEEDED, ProblemType.UNSUPPORTED_MEDIA_TYPE,
							ProblemType.CAPTURE_IN_PROGRESS, ProblemType.SERVER_BUSY, ProblemType.INSUFFICIENT_STORAGE,
							ProblemType.REQUEST_TIMEOUT)),
			Map.entry("DELETE /api/v1/uploads/{uploadId}",
					List.of(ProblemType.UNSUPPORTED_TUS_VERSION, ProblemType.UPLOAD_EXPIRED)));

	@Override
	public void customise(OpenAPI openApi) {
		openApi.getComponents().addSchemas(OpenApiConfiguration.PROBLEM, problem());
		if (openApi.getPaths() == null) {
			return;
		}
		openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
			String endpoint = method.name() + " " + path;
			Access access = Access.of(method, path);
			operation.setSecurity(access.security());
			List<String> roles = ROLES.get(endpoint);
			if (access == Access.OPERATOR && roles != null) {
				operation.addExtension("x-smp-roles", roles);
			}
			Set<ProblemType> problems = new LinkedHashSet<>(access.problems());
			if (path.contains("{")) {
				problems.add(ProblemType.NOT_FOUND);
			}
			if (operation.getRequestBody() != null && jsonBody(operation)) {
				problems.add(ProblemType.REQUEST_TOO_LARGE);
				problems.add(ProblemType.UNSUPPORTED_MEDIA_TYPE);
			}
			problems.addAll(PROBLEMS.getOrDefault(endpoint, List.of()));
			problems.add(ProblemType.DATABASE_UNAVAILABLE);
			problems.add(ProblemType.INTERNAL);
			addProblems(operation, problems, method != PathItem.HttpMethod.HEAD);
		}));
	}

/** RFC 9457's members as smp fills them; {@code type} is one of the contract's problem types. */
	private static Schema<?> problem() {
		List<String> types = Arrays.stream(ProblemType.values())
			.map(ApiDocumentation::typeUri)
			.distinct()
			.sorted()
			.toList();
		Map<String, Schema> properties = new LinkedHashMap<>();
		properties.put("type", string("urn:smp:problem:<slug>, the kind of problem").format("uri")
			._enum(types));
		properties.put("title", string("A short summary of the problem type"));
		properties.put("status", typed("integer").description("The HTTP status"));
		properties.put("detail", string("What went wrong with this request"));
		properties.put("instance", string("The path of the request").format("uri-reference"));
		return typed("object")
			.description("An RFC 9457 problem document (application/problem+json)")
			.properties(properties)
			.required(List.of("type", "title", "status"));
	}

	/** The {@code type} of a problem document of this type. */
	static String typeUri(ProblemType type) {
		return TYPE_PREFIX + type.slug();
	}

	static Schema<String> string(String description) {
		Schema<String> schema = typed("string");
		schema.description(description);
		return schema;
	}

	/** A schema of one JSON type, as OpenAPI 3.1 writes it (JSON Schema's {@code type}). */
	static <T> Schema<T> typed(String type) {
		Schema<T> schema = new Schema<>();
		schema.addType(type);
		return schema;
	}

	private static boolean jsonBody(Operation operation) {
		Content content = operation.getRequestBody().getContent();
		return content != null && content.keySet().stream().anyMatch((type) -> type.contains("json"));
	}

	/** One response per status, whose problem types are the only ones its {@code type} may be. */
	private static void addProblems(Operation operation, Set<ProblemType> problems, boolean withBody) {
		Map<Integer, List<ProblemType>> byStatus = new TreeMap<>();
		for (ProblemType type : problems) {
			byStatus.computeIfAbsent(ProblemStatuses.of(type).value(), (status) -> new ArrayList<>()).add(type);
		}
		ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
		byStatus.forEach((status, types) -> {
			ApiResponse response = new ApiResponse().description(description(types));
			if (withBody) {
				response.content(new Content().addMediaType(PROBLEM_JSON, problemMedia(status, types)));
			}
			if (status == 401 && types.contains(ProblemType.UNAUTHORIZED)) {
				response.addHeaderObject("WWW-Authenticate",
						new Header().description("Basic realm=\"smp\" for operators").schema(string(null)));
			}
			if (status == 429 || status == 503) {
				response.addHeaderObject("Retry-After",
						new Header().description("Seconds to wait before trying again")
							.schema(typed("integer")));
			}
			responses.addApiResponse(Integer.toString(status), response);
		});
		operation.setResponses(responses);
	}

	private static String description(List<ProblemType> types) {
		StringBuilder description = new StringBuilder();
		for (ProblemType type : types) {
			if (!description.isEmpty()) {
				description.append("; ");
			}
			description.append(type.title()).append(" (").append(type.slug()).append(')');
		}
		return description.toString();
	}

	private static MediaType problemMedia(int status, List<ProblemType> types) {
		List<String> uris = types.stream().map(ApiDocumentation::typeUri).distinct().toList();
		Schema<Object> schema = new Schema<>();
		schema.addAllOfItem(new Schema<>().$ref("#/components/schemas/" + OpenApiConfiguration.PROBLEM));
		Schema<String> type = string(null);
		type._enum(uris);
		schema.addProperty("type", type);
		MediaType media = new MediaType().schema(schema);
		for (ProblemType problem : types) {
			Map<String, Object> value = new LinkedHashMap<>();
			value.put("type", typeUri(problem));
			value.put("title", problem.title());
			value.put("status", status);
			media.addExamples(problem.name().toLowerCase(Locale.ROOT).replace('_', '-'), new Example().value(value));
		}
		return media;
	}

	private static List<String> roles(Role... roles) {
		return Arrays.stream(roles).map(Role::name).toList();
	}

	/** How a caller authenticates to an endpoint, which decides the security and the problems it shares. */
	enum Access {

		/** Enrollment: its code alone, no credentials. */
		NONE(List.of(ProblemType.VALIDATION, ProblemType.TOO_MANY_REQUESTS, ProblemType.SERVER_BUSY)),

		/** Mutual TLS with the computer's certificate, no token. */
		CERTIFICATE(List.of(ProblemType.VALIDATION, ProblemType.UNAUTHORIZED, ProblemType.CERTIFICATE_BLOCKED)),

		/** Mutual TLS and a management-point token bound to the certificate. */
		CERTIFICATE_AND_TOKEN(List.of(ProblemType.VALIDATION, ProblemType.UNAUTHORIZED, ProblemType.TOKEN_INVALID,
				ProblemType.FORBIDDEN, ProblemType.CERTIFICATE_BLOCKED)),

		/**
		 * HTTP Basic with an operator account, and a role; an account whose password was reset may only change it
		 * until then.
		 */
		OPERATOR(List.of(ProblemType.VALIDATION, ProblemType.UNAUTHORIZED, ProblemType.FORBIDDEN,
				ProblemType.PASSWORD_CHANGE_REQUIRED));

		private final List<ProblemType> problems;

		Access(List<ProblemType> problems) {
			this.problems = problems;
		}

		static Access of(PathItem.HttpMethod method, String path) {
			if (path.equals("/api/v1/enrollment")) {
				return NONE;
			}
			boolean transfer = path.startsWith("/api/v1/stores/") || path.startsWith("/api/v1/uploads");
			if ((transfer && method != PathItem.HttpMethod.OPTIONS) || path.equals("/api/v1/mp/release-state-store")) {
				return CERTIFICATE_AND_TOKEN;
			}
			if (transfer || path.startsWith("/api/v1/mp/") || path.startsWith("/api/v1/enrollment/")) {
				return CERTIFICATE;
			}
			return OPERATOR;
		}

		List<ProblemType> problems() {
			return this.problems;
		}

		List<SecurityRequirement> security() {
			return switch (this) {
				case NONE -> List.of();
				case CERTIFICATE -> List.of(new SecurityRequirement().addList(OpenApiConfiguration.CLIENT_CERTIFICATE));
				case CERTIFICATE_AND_TOKEN -> List.of(new SecurityRequirement()
					.addList(OpenApiConfiguration.CLIENT_CERTIFICATE)
					.addList(OpenApiConfiguration.TOKEN));
				case OPERATOR -> List.of(new SecurityRequirement().addList(OpenApiConfiguration.OPERATOR));
			};
		}

	}

}
