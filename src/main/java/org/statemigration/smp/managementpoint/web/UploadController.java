package org.statemigration.smp.managementpoint.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.managementpoint.Captures;
import org.statemigration.smp.managementpoint.ManagementPointToken;
import org.statemigration.smp.managementpoint.Operation;
import org.statemigration.smp.managementpoint.TransferSlots;
import org.statemigration.smp.problem.RequestBodyTimeoutException;
import org.statemigration.smp.store.ChunkInterruptedException;
import org.statemigration.smp.store.ResumableUpload;
import org.statemigration.smp.store.UploadChecksum;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Resumable capture uploads over tus 1.0.0 (core, creation, creation-with-upload, expiration, checksum,
 * termination), into {@link Captures} like a capture {@code PUT}. Every request but discovery is checked like
 * one: mutual TLS, the tus version ({@link TusVersionInterceptor}), and a capture token for this certificate and
 * the upload's association. Bodies stream to the encrypted file, never whole in memory.
 */
@RestController
@RequestMapping("/api/v1/uploads")
class UploadController {

	private static final Log logger = LogFactory.getLog(UploadController.class);

	private static final String EXTENSIONS = "creation,creation-with-upload,expiration,checksum,termination";

	private final Captures captures;

	private final TransferSlots slots;

	private final TransferMetrics metrics;

	UploadController(Captures captures, TransferSlots slots, TransferMetrics metrics) {
		this.captures = captures;
		this.slots = slots;
		this.metrics = metrics;
	}

	@RequestMapping(method = RequestMethod.OPTIONS)
	ResponseEntity<Void> discover() {
		return ResponseEntity.noContent()
			.header(TusHeaders.TUS_VERSION, TusHeaders.VERSION)
			.header("Tus-Extension", EXTENSIONS)
			.header("Tus-Max-Size", Long.toString(this.captures.maxSize()))
			.header("Tus-Checksum-Algorithm", "sha1,sha256")
			.build();
	}

	@PostMapping
	ResponseEntity<Void> create(@Granted(Operation.CAPTURE) ManagementPointToken token, HttpServletRequest request)
			throws IOException {
		long length = TusHeaders.size(request.getHeader(TusHeaders.UPLOAD_LENGTH), TusHeaders.UPLOAD_LENGTH);
		String sha256 = TusHeaders.sha256(request.getHeader(TusHeaders.UPLOAD_METADATA));
		boolean withBody = hasBody(request);
		if (withBody) {
			TusHeaders.checkContentType(request.getContentType());
		}
		try (TransferSlots.Slot slot = withBody ? this.slots.capture(token.associationId()) : null) {
			return created(request, token, length, sha256, withBody);
		}
	}

	private ResponseEntity<Void> created(HttpServletRequest request, ManagementPointToken token, long length,
			String sha256, boolean withBody) throws IOException {
		ResumableUpload upload = this.captures.create(token.associationId(), length, sha256);
		if (withBody || length == 0) {
			try {
				upload = append(upload.id(), 0, request, null);
			}
			catch (ChunkInterruptedException ex) {
				if (RequestBodyTimeoutException.in(ex) != null) {
					// answered 408 without a Location: nothing can resume it
					this.captures.terminate(upload.id());
					throw RequestBodyTimeoutException.in(ex);
				}
				logger.debug("First chunk of upload " + upload.id() + " broke off", ex);
				upload = ex.upload();
			}
			catch (IOException | RuntimeException ex) {
				// the client never learnt where the upload is: nothing can resume it
				this.captures.terminate(upload.id());
				throw ex;
			}
		}
		ResponseEntity.BodyBuilder created = ResponseEntity.status(HttpStatus.CREATED)
			.header(HttpHeaders.LOCATION, "/api/v1/uploads/" + upload.id())
			.header(TusHeaders.UPLOAD_EXPIRES, TusHeaders.httpDate(upload.expiresAt()));
		if (withBody || length == 0) {
			created.header(TusHeaders.UPLOAD_OFFSET, Long.toString(upload.offset()));
		}
		return created.build();
	}

	@RequestMapping(path = "/{uploadId}", method = RequestMethod.HEAD)
	ResponseEntity<Void> status(@PathVariable UUID uploadId, @Granted(Operation.CAPTURE) ManagementPointToken token)
			throws IOException {
		ResumableUpload upload = this.captures.resume(uploadId);
		if (upload.offset() == upload.length() && upload.length() > 0) {
			this.metrics.uploaded(upload.length());
		}
		return ResponseEntity.ok()
			.header(TusHeaders.UPLOAD_OFFSET, Long.toString(upload.offset()))
			.header(TusHeaders.UPLOAD_LENGTH, Long.toString(upload.length()))
			.header(TusHeaders.UPLOAD_EXPIRES, TusHeaders.httpDate(upload.expiresAt()))
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.build();
	}

	@PatchMapping("/{uploadId}")
	ResponseEntity<Void> patch(@PathVariable UUID uploadId, @Granted(Operation.CAPTURE) ManagementPointToken token,
			HttpServletRequest request) throws IOException {
		TusHeaders.checkContentType(request.getContentType());
		long offset = TusHeaders.size(request.getHeader(TusHeaders.UPLOAD_OFFSET), TusHeaders.UPLOAD_OFFSET);
		ResumableUpload upload;
		try (TransferSlots.Slot slot = this.slots.capture(token.associationId())) {
			upload = append(uploadId, offset, request,
					TusHeaders.checksum(request.getHeader(TusHeaders.UPLOAD_CHECKSUM)));
		}
		catch (ChunkInterruptedException ex) {
			tooSlow(ex);
			// the client is most likely gone; if not, it learns where the upload stands
			logger.debug("Chunk of upload " + uploadId + " broke off", ex);
			upload = ex.upload();
		}
		return ResponseEntity.noContent()
			.header(TusHeaders.UPLOAD_OFFSET, Long.toString(upload.offset()))
			.header(TusHeaders.UPLOAD_EXPIRES, TusHeaders.httpDate(upload.expiresAt()))
			.build();
	}

	@DeleteMapping("/{uploadId}")
	ResponseEntity<Void> terminate(@PathVariable UUID uploadId,
			@Granted(Operation.CAPTURE) ManagementPointToken token) {
		this.captures.terminate(uploadId);
		return ResponseEntity.noContent().build();
	}

	private ResumableUpload append(UUID uploadId, long offset, HttpServletRequest request,
			UploadChecksum checksum) throws IOException {
		long declared = request.getContentLengthLong();
		try (InputStream body = request.getInputStream()) {
			ResumableUpload upload = this.captures.append(uploadId, offset, body, declared, checksum);
			if (upload.offset() == upload.length()) {
				this.metrics.uploaded(upload.length());
			}
			return upload;
		}
	}

	/**
	 * A chunk cut off because its client sent too slowly keeps what arrived, like any interrupted chunk, but is
	 * answered 408, so that the connection closes instead of waiting for the rest.
	 */
	private static void tooSlow(ChunkInterruptedException ex) throws RequestBodyTimeoutException {
		RequestBodyTimeoutException timeout = RequestBodyTimeoutException.in(ex);
		if (timeout != null) {
			throw timeout;
		}
	}

	private static boolean hasBody(HttpServletRequest request) {
		String encoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
		return request.getContentLengthLong() > 0
				|| (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked"));
	}

}
