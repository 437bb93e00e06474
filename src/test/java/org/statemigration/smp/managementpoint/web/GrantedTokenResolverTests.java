package org.statemigration.smp.managementpoint.web;

import java.lang.reflect.Method;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.statemigration.smp.association.AssociationParties;
import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.managementpoint.Captures;
import org.statemigration.smp.managementpoint.ManagementPoint;
import org.statemigration.smp.managementpoint.ManagementPointToken;
import org.statemigration.smp.managementpoint.ManagementPointTokens;
import org.statemigration.smp.managementpoint.Operation;
import org.statemigration.smp.managementpoint.Restores;
import org.statemigration.smp.managementpoint.TokenInvalidException;
import org.statemigration.smp.managementpoint.TokenNotForThisRequestException;
import org.statemigration.smp.managementpoint.TransferSlots;
import org.statemigration.smp.managementpoint.internal.TokenSigningKeys;
import org.statemigration.smp.pki.ClientNotAuthenticatedException;
import org.statemigration.smp.pki.EnrolledComputer;
import org.statemigration.smp.problem.InvalidStateException;
import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.settings.RuntimeSettings;
import org.statemigration.smp.settings.Settings;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.support.DefaultDataBinderFactory;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.HandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The resolution of a {@link Granted} token: real tokens signed and verified as the server does, checked against
 * an association's parties and state, with every refusal the same generic one and its reason recorded without
 * the token.
 */
class GrantedTokenResolverTests {

	private static final String KID = "test-key";

	private final EnrolledComputer source = computer("SOURCE");

	private final EnrolledComputer destination = computer("DESTINATION");

	private final UUID associationId = UUID.randomUUID();

	private final List<String> refusals = new ArrayList<>();

	private final ComputerAssociations associations = mock(ComputerAssociations.class);

	private final Captures captures = mock(Captures.class);

	private ManagementPointTokens tokens;

	private GrantedTokenResolver resolver;

	private JdbcClient jdbc;

	@BeforeEach
	void setUp() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair keys = generator.generateKeyPair();
		TokenSigningKeys signingKeys = mock(TokenSigningKeys.class);
		when(signingKeys.current()).thenReturn(new TokenSigningKeys.SigningKey(KID, (ECPrivateKey) keys.getPrivate()));
		when(signingKeys.publicKey(KID)).thenReturn(Optional.of((ECPublicKey) keys.getPublic()));
		Settings settings = mock(Settings.class);
		when(settings.current()).thenReturn(new RuntimeSettings(Duration.ofDays(30), false, 1024, Duration.ofHours(1),
				Duration.ofHours(4)));
		JdbcDataSource database = new JdbcDataSource();
		database.setURL("jdbc:h2:mem:granted-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		this.jdbc = JdbcClient.create(database);
		this.jdbc.sql("CREATE TABLE spent_token (jti VARCHAR(64) PRIMARY KEY, expires_at TIMESTAMP WITH TIME ZONE, "
				+ "spent_at TIMESTAMP WITH TIME ZONE)").update();
		this.tokens = new ManagementPointTokens(signingKeys, this.jdbc, Clock.systemUTC());
		AuditLog audit = new AuditLog(null, null, Clock.systemUTC()) {
			@Override
			public void recordAlone(String actor, String action, String target, AuditOutcome outcome, String detail) {
				GrantedTokenResolverTests.this.refusals
					.add(String.join("|", actor, action, target, outcome.name(), detail));
			}
		};
		ManagementPoint managementPoint = new ManagementPoint(this.captures, mock(Restores.class), this.associations,
				this.tokens, settings, audit, mock(TransferSlots.class),
				new TransactionTemplate(new DataSourceTransactionManager(database)));
		this.resolver = new GrantedTokenResolver(managementPoint, this.captures);
		state(AssociationState.CAPTURING);
		signedIn(this.source);
	}

	@AfterEach
	void signOut() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void rightTokenResolvesToItsClaims() throws Exception {
		ManagementPointToken token = resolve("capture", store(this.associationId), issue(Operation.CAPTURE));
		assertThat(token.associationId()).isEqualTo(this.associationId);
		assertThat(token.operation()).isEqualTo(Operation.CAPTURE);
		assertThat(token.computerName()).isEqualTo("SOURCE");
		assertThat(this.refusals).isEmpty();
	}

	@Test
	void missingTokenIsInvalidAndNotRecorded() {
		assertThatExceptionOfType(TokenInvalidException.class)
			.isThrownBy(() -> resolve("capture", store(this.associationId), null));
		assertThatExceptionOfType(TokenInvalidException.class)
			.isThrownBy(() -> resolve("capture", store(this.associationId), "Basic c291cmNlOnNlY3JldA=="));
		assertThat(this.refusals).isEmpty();
	}

	@Test
	void malformedTokenIsInvalidAndRecordedWithoutIt() {
		assertThatExceptionOfType(TokenInvalidException.class)
			.isThrownBy(() -> resolve("capture", store(this.associationId), "Bearer not.a-token"))
			.withMessage("The token is not valid for this request");
		assertThat(this.refusals).containsExactly("SOURCE|client.refused|serial-SOURCE|DENIED|token invalid");
		assertThat(String.join("\n", this.refusals)).doesNotContain("not.a-token");
	}

	@Test
	void spentTokenIsInvalid() {
		String bearer = issue(Operation.CAPTURE);
		ManagementPointToken claims = this.tokens.verify(bearer.substring("Bearer ".length()), this.source);
		this.tokens.spend(claims);
		assertThatExceptionOfType(TokenInvalidException.class)
			.isThrownBy(() -> resolve("capture", store(this.associationId), bearer));
		assertThat(this.refusals).containsExactly("SOURCE|client.refused|serial-SOURCE|DENIED|token invalid");
	}

	@Test
	void tokenOfAnotherComputerIsInvalid() {
		String bearer = issue(Operation.CAPTURE);
		signedIn(this.destination);
		assertThatExceptionOfType(TokenInvalidException.class)
			.isThrownBy(() -> resolve("capture", store(this.associationId), bearer))
			.withMessage("The token is not valid for this request");
		assertThat(this.refusals)
			.containsExactly("DESTINATION|client.refused|serial-DESTINATION|DENIED|token invalid");
	}

	@Test
	void tokenForAnotherOperationDoesNotCoverTheRequest() {
		assertThatExceptionOfType(TokenNotForThisRequestException.class)
			.isThrownBy(() -> resolve("restore", store(this.associationId), issue(Operation.CAPTURE)));
		assertThat(this.refusals)
			.containsExactly("SOURCE|client.refused|serial-SOURCE|DENIED|token does not cover this request");
	}

	@Test
	void tokenForAnotherAssociationDoesNotCoverTheRequest() {
		assertThatExceptionOfType(TokenNotForThisRequestException.class)
			.isThrownBy(() -> resolve("capture", store(UUID.randomUUID()), issue(Operation.CAPTURE)));
		assertThat(this.refusals)
			.containsExactly("SOURCE|client.refused|serial-SOURCE|DENIED|token does not cover this request");
	}

	@Test
	void computerThatNoLongerTakesPartIsRefused() {
		String bearer = issue(Operation.CAPTURE);
		when(this.associations.parties(this.associationId)).thenReturn(new AssociationParties(this.associationId,
				UUID.randomUUID(), this.destination.computerId(), AssociationState.CAPTURING, false, false));
		assertThatExceptionOfType(TokenNotForThisRequestException.class)
			.isThrownBy(() -> resolve("capture", store(this.associationId), bearer));
		assertThat(this.refusals)
			.containsExactly("SOURCE|client.refused|serial-SOURCE|DENIED|token does not cover this request");
	}

	@Test
	void associationInAnotherStateIsAnInvalidStateNotRecorded() {
		String bearer = issue(Operation.CAPTURE);
		state(AssociationState.CAPTURED);
		assertThatExceptionOfType(InvalidStateException.class)
			.isThrownBy(() -> resolve("capture", store(this.associationId), bearer));
		assertThat(this.refusals).isEmpty();
	}

	@Test
	void newUploadIsForTheTokensAssociation() throws Exception {
		ManagementPointToken token = resolve("capture", Map.of(), issue(Operation.CAPTURE));
		assertThat(token.associationId()).isEqualTo(this.associationId);
	}

	@Test
	void uploadIsBoundToItsOwnAssociation() throws Exception {
		UUID own = UUID.randomUUID();
		UUID foreign = UUID.randomUUID();
		UUID unknown = UUID.randomUUID();
		when(this.captures.owner(own)).thenReturn(Optional.of(this.associationId));
		when(this.captures.owner(foreign)).thenReturn(Optional.of(UUID.randomUUID()));
		when(this.captures.owner(unknown)).thenReturn(Optional.empty());
		String bearer = issue(Operation.CAPTURE);

		assertThat(resolve("capture", upload(own), bearer).associationId()).isEqualTo(this.associationId);
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> resolve("capture", upload(unknown), bearer));
		assertThat(this.refusals).isEmpty();
		assertThatExceptionOfType(TokenNotForThisRequestException.class)
			.isThrownBy(() -> resolve("capture", upload(foreign), bearer));
		assertThat(this.refusals)
			.containsExactly("SOURCE|client.refused|serial-SOURCE|DENIED|token does not cover this request");
	}

	@Test
	void uploadOfAnotherComputersTokenIsInvalidBeforeTheUploadIsLookedUp() {
		String bearer = issue(Operation.CAPTURE);
		signedIn(this.destination);
		assertThatExceptionOfType(TokenInvalidException.class)
			.isThrownBy(() -> resolve("capture", upload(UUID.randomUUID()), bearer));
	}

	@Test
	void releaseTakesATokenForEitherOperationVerifiedForItsComputer() throws Exception {
		state(AssociationState.RESTORING);
		signedIn(this.destination);
		String bearer = issue(Operation.RESTORE);
		assertThat(resolve("release", Map.of(), bearer).operation()).isEqualTo(Operation.RESTORE);
		signedIn(this.source);
		assertThat(resolve("release", Map.of(), issue(Operation.CAPTURE)).operation()).isEqualTo(Operation.CAPTURE);
		assertThat(this.refusals).isEmpty();
		assertThatExceptionOfType(TokenInvalidException.class).isThrownBy(() -> resolve("release", Map.of(), bearer));
		assertThat(this.refusals).containsExactly("SOURCE|client.refused|serial-SOURCE|DENIED|token invalid");
	}

	@Test
	void pathVariableThatIsNoIdIsRefusedBeforeTheToken() {
		assertThatExceptionOfType(MethodArgumentTypeMismatchException.class)
			.isThrownBy(() -> resolve("capture", Map.of("associationId", "not-an-id"), "Bearer not.a-token"))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("associationId"));
		assertThat(this.refusals).isEmpty();
	}

	@Test
	void requestWithoutAComputerIsUnauthenticated() {
		SecurityContextHolder.clearContext();
		assertThatExceptionOfType(ClientNotAuthenticatedException.class)
			.isThrownBy(() -> resolve("capture", store(this.associationId), issue(Operation.CAPTURE)));
	}

	@Test
	void onlyAnnotatedTokenParametersAreResolved() throws Exception {
		assertThat(this.resolver.supportsParameter(parameter("capture"))).isTrue();
		assertThat(this.resolver.supportsParameter(parameter("release"))).isTrue();
		assertThat(this.resolver.supportsParameter(parameter("unannotated"))).isFalse();
		assertThat(this.resolver.supportsParameter(parameter("notAToken"))).isFalse();
	}

	private ManagementPointToken resolve(String handler, Map<String, String> pathVariables, String authorization)
			throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest();
		if (authorization != null) {
			request.addHeader(HttpHeaders.AUTHORIZATION, authorization);
		}
		request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, pathVariables);
		return this.resolver.resolveArgument(parameter(handler), null, new ServletWebRequest(request),
				new DefaultDataBinderFactory(null));
	}

	private String issue(Operation operation) {
		EnrolledComputer computer = (operation == Operation.CAPTURE) ? this.source : this.destination;
		return "Bearer " + this.tokens.issue(computer, this.associationId, operation, Duration.ofHours(4)).token();
	}

	private void state(AssociationState state) {
		when(this.associations.parties(this.associationId)).thenReturn(new AssociationParties(this.associationId,
				this.source.computerId(), this.destination.computerId(), state, true, false));
	}

	private static void signedIn(EnrolledComputer computer) {
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(computer, null, List.of()));
	}

	private static Map<String, String> store(UUID associationId) {
		return Map.of("associationId", associationId.toString());
	}

	private static Map<String, String> upload(UUID uploadId) {
		return Map.of("uploadId", uploadId.toString());
	}

	private static EnrolledComputer computer(String name) {
		byte[] thumbprint = new byte[32];
		thumbprint[0] = (byte) name.hashCode();
		thumbprint[1] = (byte) name.length();
		return new EnrolledComputer(UUID.randomUUID(), name, "serial-" + name, HexFormat.of().formatHex(thumbprint));
	}

	private static MethodParameter parameter(String handler) throws NoSuchMethodException {
		Method method = List.of(Handlers.class.getDeclaredMethods())
			.stream()
			.filter((candidate) -> candidate.getName().equals(handler))
			.findFirst()
			.orElseThrow();
		return new MethodParameter(method, 0);
	}

	/** Handlers as a controller declares them. */
	@SuppressWarnings("unused")
	private static final class Handlers {

		void capture(@Granted(Operation.CAPTURE) ManagementPointToken token) {
		}

		void restore(@Granted(Operation.RESTORE) ManagementPointToken token) {
		}

		void release(@Granted ManagementPointToken token) {
		}

		void unannotated(ManagementPointToken token) {
		}

		void notAToken(@Granted(Operation.CAPTURE) String token) {
		}

	}

}
