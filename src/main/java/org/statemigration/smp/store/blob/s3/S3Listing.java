package org.statemigration.smp.store.blob.s3;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.s3.S3Layout.Named;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What an S3 location holds under its prefix, a page at a time, for the sweep of leftovers: its unfinished
 * multipart uploads (ListMultipartUploads) and its objects (ListObjectsV2), each with the version its key names in
 * the location's layout ({@link S3Layout}), or none when the key is not one the server writes. Only one page (at
 * most 1,000 keys, as S3 answers them) is held at a time, however large the bucket. It aborts uploads and deletes
 * objects by the keys it listed; it never lists or deletes outside the prefix.
 */
public final class S3Listing {

	/** The most keys one ListObjectsV2, ListMultipartUploads or DeleteObjects request takes or answers. */
	static final int PAGE = 1000;

	private final S3BlobStore store;

	private final S3Layout layout;

	private final int pageSize;

	public S3Listing(S3BlobStore store) {
		this(store, PAGE);
	}

	/** A listing in pages of the size given (tests make pages small, to see the paging). */
	public S3Listing(S3BlobStore store, int pageSize) {
		this.store = store;
		this.layout = new S3Layout(store.location().prefix());
		this.pageSize = Math.min(pageSize, PAGE);
	}

	/** The location as the database records it: {@code s3://bucket/prefix}. */
	public String location() {
		return this.store.location().location();
	}

	/** The unfinished multipart uploads under the prefix, one page after the other, until the handler stops. */
	public void unfinishedUploads(PageHandler page) throws IOException {
		String bucket = this.store.location().bucket();
		String what = "list the unfinished uploads under " + this.store.where(this.layout.root());
		Iterator<ListMultipartUploadsResponse> pages = this.store.call(what,
				() -> this.store.client()
					.listMultipartUploadsPaginator(
							(list) -> list.bucket(bucket).prefix(this.layout.root()).maxUploads(this.pageSize))
					.iterator());
		while (this.store.call(what, pages::hasNext)) {
			ListMultipartUploadsResponse response = this.store.call(what, pages::next);
			List<Found> found = new ArrayList<>(response.uploads().size());
			for (MultipartUpload upload : response.uploads()) {
				found.add(new Found(upload.key(), version(upload.key()), upload.initiated(), upload.uploadId()));
			}
			if (!page.handle(found)) {
				return;
			}
		}
	}

	/** The objects under the prefix, one page after the other, until the handler stops. */
	public void objects(PageHandler page) throws IOException {
		String bucket = this.store.location().bucket();
		String what = "list the objects under " + this.store.where(this.layout.root());
		Iterator<ListObjectsV2Response> pages = this.store.call(what,
				() -> this.store.client()
					.listObjectsV2Paginator(
							(list) -> list.bucket(bucket).prefix(this.layout.root()).maxKeys(this.pageSize))
					.iterator());
		while (this.store.call(what, pages::hasNext)) {
			ListObjectsV2Response response = this.store.call(what, pages::next);
			List<Found> found = new ArrayList<>(response.contents().size());
			for (S3Object object : response.contents()) {
				found.add(new Found(object.key(), version(object.key()), object.lastModified(), null));
			}
			if (!page.handle(found)) {
				return;
			}
		}
	}

	/** Aborts a listed upload; one that is gone already is fine. */
	public void abort(Found upload) throws IOException {
		if (upload.uploadId() == null || upload.version() == null) {
			throw new IllegalArgumentException(upload.key() + " is not an unfinished upload of the location");
		}
		this.store.abort(upload.key(), upload.uploadId());
	}

	/**
	 * Deletes listed objects of the location, in one DeleteObjects request.
	 * @return the keys that S3 did not delete, each with the error code it answered; empty when all went
	 */
	public Map<String, String> delete(List<Found> objects) throws IOException {
		if (objects.isEmpty()) {
			return Map.of();
		}
		if (objects.size() > PAGE) {
			throw new IllegalArgumentException("At most " + PAGE + " objects are deleted at once");
		}
		List<ObjectIdentifier> keys = new ArrayList<>(objects.size());
		for (Found object : objects) {
			if (object.uploadId() != null || object.version() == null) {
				throw new IllegalArgumentException(object.key() + " is not an object of the location");
			}
			keys.add(ObjectIdentifier.builder().key(object.key()).build());
		}
		DeleteObjectsResponse answer = this.store.call("delete " + keys.size() + " object(s)",
				() -> this.store.client()
					.deleteObjects((delete) -> delete.bucket(this.store.location().bucket())
						.delete(Delete.builder().objects(keys).quiet(true).build())));
		Map<String, String> failed = new LinkedHashMap<>();
		if (answer.hasErrors()) {
			for (S3Error error : answer.errors()) {
				failed.put(error.key(), error.code());
			}
		}
		return failed;
	}

	/** An object's place, for people to read: {@code s3://bucket/key}. */
	public String where(Found found) {
		return this.store.where(found.key());
	}

	private BlobKey version(String key) {
		Named named = this.layout.parse(key);
		return (named != null) ? named.key() : null;
	}

	/**
	 * An unfinished upload or an object found under the prefix.
	 * @param key its key in the bucket
	 * @param version the version its key names, or null when the key is not in the location's layout
	 * @param since when the upload was started or the object written, by the S3 server's clock; null if the server
	 * did not say
	 * @param uploadId the upload's id; null for an object
	 */
	public record Found(String key, BlobKey version, Instant since, String uploadId) {

		/** Whether the key is one the server writes. */
		public boolean ours() {
			return this.version != null;
		}

	}

	/** Takes one page of what was found. */
	@FunctionalInterface
	public interface PageHandler {

		/** @return whether to go on with the next page */
		boolean handle(List<Found> page) throws IOException;

	}

}
