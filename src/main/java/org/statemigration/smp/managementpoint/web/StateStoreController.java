package org.statemigration.smp.managementpoint.web;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.statemigration.smp.managementpoint.Captures;
import org.statemigration.smp.managementpoint.ManagementPointToken;
import org.statemigration.smp.managementpoint.Operation;
import org.statemigration.smp.managementpoint.Restores;
import org.statemigration.smp.managementpoint.TransferSlots;
import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;
import org.statemigration.smp.store.DigestMismatchException;
import org.statemigration.smp.store.StoredStateStore;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The state store itself: {@code PUT} streams a capture in ({@link Captures}), {@code GET} and {@code HEAD} stream
 * a restore out ({@link Restores}), with single byte ranges. Bodies go straight between the socket and the
 * encrypted file, never whole in memory.
 */
@RestController
@RequestMapping("/api/v1/stores/{associationId}")
class StateStoreController {

	private final Captures captures;

	private final Restores restores;

	private final TransferSlots slots;

	private final TransferMetrics metrics;

	StateStoreController(Captures captures, Restores restores, TransferSlots slots, TransferMetrics metrics) {
		this.captures = captures;
		this.restores = restores;
		this.slots = slots;
		this.metrics = metrics;
	}

	@PutMapping
	ResponseEntity<StoredBody> upload(@Granted(Operation.CAPTURE) ManagementPointToken token,
			HttpServletRequest request) throws IOException {
		UUID associationId = token.associationId();
		long length = request.getContentLengthLong();
		String transferEncoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
		boolean chunked = transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked");
		if (length < 0 && !chunked) {
			throw new LengthRequiredException();
		}
		ReprDigest expected = ReprDigest.parse(request.getHeader(ReprDigest.HEADER));
		StoredStateStore stored;
		try (TransferSlots.Slot slot = this.slots.capture(associationId)) {
			InputStream body = request.getInputStream();
			MessageDigest sha512 = null;
			if (expected != null && expected.sha512() != null) {
				sha512 = sha512();
				body = new DigestInputStream(body, sha512);
			}
			MessageDigest bodySha512 = sha512;
			stored = this.captures.receive(associationId, body, chunked ? -1 : length,
					(expected != null) ? expected.sha256() : null, () -> {
						if (bodySha512 != null && !MessageDigest.isEqual(expected.sha512(), bodySha512.digest())) {
							throw new DigestMismatchException(
									"The body's SHA-512 differs from its Repr-Digest; nothing was stored");
						}
					});
		}
		this.metrics.uploaded(stored.sizeBytes());
		return ResponseEntity.status(HttpStatus.CREATED)
			.header(ReprDigest.HEADER, ReprDigest.format(stored.sha256()))
			.eTag(stored.sha256())
			.body(new StoredBody(stored.sizeBytes(), stored.sha256()));
	}

	@RequestMapping(method = { RequestMethod.GET, RequestMethod.HEAD })
	void download(@Granted(Operation.RESTORE) ManagementPointToken token, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		UUID associationId = token.associationId();
		StoredStateStore store = this.restores.current(associationId);
		String etag = "\"" + store.sha256() + "\"";
		Optional<ByteRange> range;
		try {
			range = ByteRange.parse(request.getHeader(HttpHeaders.RANGE), request.getHeader(HttpHeaders.IF_RANGE), etag,
					store.sizeBytes());
		}
		catch (ByteRange.UnsatisfiableRangeException ex) {
			response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
			response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + store.sizeBytes());
			response.setStatus(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value());
			return;
		}
		long offset = range.map(ByteRange::start).orElse(0L);
		long length = range.map(ByteRange::length).orElse(store.sizeBytes());
		if ("HEAD".equals(request.getMethod())) {
			describe(response, store, etag, range, length);
			return;
		}
		try (TransferSlots.Slot slot = this.slots.restore(associationId);
				InputStream in = this.restores.open(store, offset, length)) {
			// only now: a refusal (no slot, a damaged or unreachable store) is a problem document of its own length,
			// not one announced with the store's
			describe(response, store, etag, range, length);
			// straight from the decrypted read-ahead buffers: no copy buffer of its own
			in.transferTo(response.getOutputStream());
		}
		this.metrics.downloaded(length);
	}

	/** The headers of the store's answer, whole or one range of it. */
	private static void describe(HttpServletResponse response, StoredStateStore store, String etag,
			Optional<ByteRange> range, long length) {
		response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
		response.setHeader(HttpHeaders.ETAG, etag);
		response.setHeader(ReprDigest.HEADER, ReprDigest.format(store.sha256()));
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setContentType("application/octet-stream");
		if (range.isPresent()) {
			response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
			response.setHeader(HttpHeaders.CONTENT_RANGE, range.get().contentRange(store.sizeBytes()));
		}
		response.setContentLengthLong(length);
	}

	record StoredBody(long sizeBytes, String sha256) {
	}

	static final class LengthRequiredException extends ProblemException {

		LengthRequiredException() {
			super(ProblemType.LENGTH_REQUIRED, "Content-Length is required unless the body is chunked");
		}

	}

	private static MessageDigest sha512() {
		try {
			return MessageDigest.getInstance("SHA-512");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-512", ex);
		}
	}

}
