package org.statemigration.smp.managementpoint.web;

import java.util.List;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.http.HttpHeaders;

/**
 * What the OpenAPI document says of the state store and the tus uploads beyond their handlers, which read their
 * bodies and headers from the request itself: the streamed bodies, the request headers they read (tus's,
 * {@code Repr-Digest}, ranges) and their answers with the headers they carry.
 */
final class TransferDocumentation implements OpenApiCustomizer {

	private static final String STORE = "/api/v1/stores/{associationId}";

	private static final String UPLOADS = "/api/v1/uploads";

	private static final String UPLOAD = "/api/v1/uploads/{uploadId}";

	private static final String OCTET_STREAM = "application/octet-stream";

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getPaths() == null) {
			return;
		}
		PathItem store = openApi.getPaths().get(STORE);
		if (store != null) {
			store(store);
		}
		PathItem uploads = openApi.getPaths().get(UPLOADS);
		if (uploads != null) {
			uploads(uploads);
		}
		PathItem upload = openApi.getPaths().get(UPLOAD);
		if (upload != null) {
			upload(upload);
		}
	}

	private static void store(PathItem store) {
		if (store.getPut() != null) {
			Operation put = store.getPut()
				.summary("Upload the captured state store")
				.requestBody(binary(OCTET_STREAM, true, "The state store as the user-state tool wrote it, streamed"))
				.addParametersItem(header(ReprDigest.HEADER, false,
						"RFC 9530 digest of the body, sha-256 and/or sha-512; checked before the commit"));
			ApiResponse created = successful(put, "201", "Stored and committed");
			created.addHeaderObject(ReprDigest.HEADER, responseHeader("The SHA-256 of the stored plaintext"))
				.addHeaderObject(HttpHeaders.ETAG, responseHeader("The quoted hex SHA-256 of the stored plaintext"));
		}
		for (Operation download : new Operation[] { store.getGet(), store.getHead() }) {
			if (download == null) {
				continue;
			}
			download.summary("Download the state store, decrypted")
				.addParametersItem(header(HttpHeaders.RANGE, false, "One byte range (bytes=a-b, a- or -n)"))
				.addParametersItem(header(HttpHeaders.IF_RANGE, false, "The ETag; any other value gets the whole body"));
			boolean get = download == store.getGet();
			ApiResponse whole = successful(download, "200", "The whole state store");
			ApiResponse partial = new ApiResponse().description("The range asked for, with Content-Range");
			if (get) {
				whole.content(binaryContent(OCTET_STREAM));
				partial.content(binaryContent(OCTET_STREAM));
			}
			for (ApiResponse response : List.of(whole, partial)) {
				response.addHeaderObject(HttpHeaders.ETAG, responseHeader("The quoted hex SHA-256 of the plaintext"))
					.addHeaderObject(ReprDigest.HEADER, responseHeader("The SHA-256 of the plaintext"))
					.addHeaderObject(HttpHeaders.ACCEPT_RANGES, responseHeader("bytes"));
			}
			download.getResponses()
				.addApiResponse("206", partial)
				.addApiResponse("416", new ApiResponse().description("The range starts beyond the end")
					.addHeaderObject(HttpHeaders.CONTENT_RANGE, responseHeader("bytes */<size>")));
		}
	}

	private static void uploads(PathItem uploads) {
		if (uploads.getOptions() != null) {
			successful(uploads.getOptions().summary("tus discovery"), "204", "What the server supports")
				.addHeaderObject(TusHeaders.TUS_VERSION, responseHeader(TusHeaders.VERSION))
				.addHeaderObject("Tus-Extension", responseHeader("The tus extensions"))
				.addHeaderObject("Tus-Max-Size", responseHeader("The largest upload, the quota"))
				.addHeaderObject("Tus-Checksum-Algorithm", responseHeader("sha1,sha256"));
		}
		Operation create = uploads.getPost();
		if (create != null) {
			tus(create.summary("Create a resumable upload (tus creation, creation-with-upload)"))
				.requestBody(binary(TusHeaders.OFFSET_OCTET_STREAM, false, "Optionally the first chunk"))
				.addParametersItem(header(TusHeaders.UPLOAD_LENGTH, true, "The whole length in bytes, reserved at once"))
				.addParametersItem(header(TusHeaders.UPLOAD_METADATA, false,
						"sha256 <base64 of the whole blob's SHA-256>, checked when the upload completes"));
			successful(create, "201", "Created")
				.addHeaderObject(HttpHeaders.LOCATION, responseHeader("/api/v1/uploads/{uploadId}"))
				.addHeaderObject(TusHeaders.UPLOAD_EXPIRES, responseHeader("When the upload expires, an HTTP date"))
				.addHeaderObject(TusHeaders.UPLOAD_OFFSET, responseHeader("With a first chunk: the bytes kept"));
		}
	}

	private static void upload(PathItem upload) {
		if (upload.getHead() != null) {
			successful(tus(upload.getHead().summary("Where a resumable upload stands")), "200", "The upload's offset")
				.addHeaderObject(TusHeaders.UPLOAD_OFFSET, responseHeader("The bytes kept, durably"))
				.addHeaderObject(TusHeaders.UPLOAD_LENGTH, responseHeader("The whole length"))
				.addHeaderObject(TusHeaders.UPLOAD_EXPIRES, responseHeader("When the upload expires, an HTTP date"));
		}
		if (upload.getPatch() != null) {
			Operation patch = tus(upload.getPatch().summary("Append a chunk to a resumable upload"))
				.requestBody(binary(TusHeaders.OFFSET_OCTET_STREAM, true, "The chunk"))
				.addParametersItem(header(TusHeaders.UPLOAD_OFFSET, true, "The upload's offset, from HEAD"))
				.addParametersItem(header(TusHeaders.UPLOAD_CHECKSUM, false, "<sha1|sha256> <base64> of the chunk"));
			successful(patch, "204", "The chunk was kept")
				.addHeaderObject(TusHeaders.UPLOAD_OFFSET, responseHeader("The new offset"))
				.addHeaderObject(TusHeaders.UPLOAD_EXPIRES, responseHeader("When the upload expires, an HTTP date"));
		}
		if (upload.getDelete() != null) {
			successful(tus(upload.getDelete().summary("Terminate a resumable upload")), "204", "Removed");
		}
	}

	private static Operation tus(Operation operation) {
		HeaderParameter resumable = header(TusHeaders.TUS_RESUMABLE, true, "The tus version, 1.0.0");
		resumable.getSchema()._enum(List.of(TusHeaders.VERSION));
		return operation.addParametersItem(resumable);
	}

	/** The operation's one successful answer, in place of the one springdoc guessed from the handler. */
	private static ApiResponse successful(Operation operation, String status, String description) {
		ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
		ApiResponse guessed = responses.remove("200");
		ApiResponse response = new ApiResponse().description(description);
		if (guessed != null && guessed.getContent() != null && !status.equals("204")) {
			response.content(json(guessed.getContent()));
		}
		responses.addApiResponse(status, response);
		operation.setResponses(responses);
		return response;
	}

	private static Content json(Content guessed) {
		Content content = new Content();
		guessed.values().stream().findFirst().ifPresent((media) -> content.addMediaType("application/json", media));
		return content;
	}

	private static HeaderParameter header(String name, boolean required, String description) {
		HeaderParameter header = new HeaderParameter();
		header.name(name).required(required).description(description).schema(string());
		return header;
	}

	private static Header responseHeader(String description) {
		return new Header().description(description).schema(string());
	}

	private static RequestBody binary(String mediaType, boolean required, String description) {
		return new RequestBody().required(required).description(description).content(binaryContent(mediaType));
	}

	private static Content binaryContent(String mediaType) {
		// OpenAPI 3.1: a binary body is described by its media type, without a schema of its own
		return new Content().addMediaType(mediaType, new MediaType());
	}

	private static Schema<String> string() {
		Schema<String> schema = new Schema<>();
		schema.addType("string");
		return schema;
	}

}
