package org.statemigration.smp.store.blob.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.BlobStore;
import org.statemigration.smp.store.blob.BlobStoreUnavailableException;
import org.statemigration.smp.store.blob.BlobWriter;
import org.statemigration.smp.store.blob.Room;
import org.statemigration.smp.store.blob.StoredObject;
import org.statemigration.smp.store.blob.StoredObject.Kind;
import org.statemigration.smp.store.blob.s3.S3Layout.Named;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import org.springframework.core.task.AsyncTaskExecutor;

/**
 * An S3 bucket (AWS, or any S3-compatible server) as a blob store, under a key prefix ({@link S3Layout}). It sees
 * only ciphertext.
 * <p>
 * A blob is a multipart upload while it is written and an object once completed ({@link S3BlobWriter}): each part
 * holds whole sealed segments, the same number in every part but the last, so that part n covers segments
 * [(n-1)k, nk) and the header lies in part 1. Nothing of a blob is visible under its key before it is completed,
 * which is what the commit of a blob is; S3 makes a completed object durable as a whole. A blob is read by ranged
 * GETs, a window of a few MiB at a time ({@link S3ReadChannel}); small objects are whole objects; the scratch is a
 * local temporary file ({@link LocalScratch}).
 * <p>
 * S3 gives no access to the parts of an unfinished upload, so the blob of a resumable upload
 * ({@link #createResumable}, {@link #resume}) keeps what any server needs to go on with it in a {@link PartLedger}
 * (the database): the multipart upload's id, the header, and each part, recorded before it is sent and after S3
 * answered; the bytes after the last part sent are a small object written whole ({@link S3ResumableWriter}).
 * A store made without a ledger takes captures by a single PUT only. S3 has no free space to measure: the room is the location's capacity less the committed
 * bytes the database records there, a budget. Every failure of S3 becomes a {@link BlobStoreUnavailableException}
 * that names the location and what failed, never a credential.
 */
public class S3BlobStore implements BlobStore {

	private static final Log logger = LogFactory.getLog(S3BlobStore.class);

	/** The most keys one DeleteObjects request may name. */
	private static final int DELETE_BATCH = 1000;

	private final S3Location location;

	private final S3Client client;

	private final S3Layout layout;

	private final PartBuffers buffers;

	private final AsyncTaskExecutor senders;

	private final int readWindow;

	private final LongSupplier storedBytes;

	private final PartLedger ledger;

	/**
	 * @param buffers the part buffers all S3 uploads share
	 * @param senders where a part is sent while the next one is filled
	 * @param readWindow the bytes one ranged GET of a read fetches
	 * @param storedBytes the bytes of the committed blobs the database records at the location
	 */
	public S3BlobStore(S3Location location, S3Client client, PartBuffers buffers, AsyncTaskExecutor senders,
			int readWindow, LongSupplier storedBytes) {
		this(location, client, buffers, senders, readWindow, storedBytes, null);
	}

	/**
	 * @param buffers the part buffers all S3 uploads share
	 * @param senders where a part is sent while the next one is filled
	 * @param readWindow the bytes one ranged GET of a read fetches
	 * @param storedBytes the bytes of the committed blobs the database records at the location
	 * @param ledger where the parts of resumable uploads are recorded, or null if the store takes none
	 */
	public S3BlobStore(S3Location location, S3Client client, PartBuffers buffers, AsyncTaskExecutor senders,
			int readWindow, LongSupplier storedBytes, PartLedger ledger) {
		this.ledger = ledger;
		this.location = location;
		this.client = client;
		this.layout = new S3Layout(location.prefix());
		this.buffers = buffers;
		this.senders = senders;
		this.readWindow = readWindow;
		this.storedBytes = storedBytes;
	}

	/**
	 * Checks that the bucket answers, so that a server with a wrong endpoint, bucket or credentials does not start.
	 * @throws IllegalStateException naming the bucket and the endpoint, never the secret
	 */
	public void checkBucket() {
		try {
			this.client.headBucket((head) -> head.bucket(this.location.bucket()));
		}
		catch (SdkException ex) {
			throw new IllegalStateException("S3 storage location " + this.location + ": bucket "
					+ this.location.bucket() + " cannot be used: " + describe(ex), ex);
		}
	}

	/** Starts a multipart upload under {@code <prefix>/<associationId>/<storeId>.smp}. */
	@Override
	public BlobWriter create(BlobKey key) throws IOException {
		String objectKey = this.layout.blob(key);
		if (!uploads(objectKey).isEmpty()) {
			throw new FileAlreadyExistsException(where(objectKey), null, "an unfinished blob is there already");
		}
		String uploadId = startUpload(objectKey);
		return new S3BlobWriter(this, objectKey, uploadId, partSize(true), partSize(false));
	}

	/** Bytes of part 1 (the header and k sealed segments) or of any later part but the last (k segments). */
	int partSize(boolean first) {
		long sealed = (long) SegmentedStreamFormat.DEFAULT_SEGMENT_SIZE + SegmentedStreamFormat.TAG_LENGTH;
		return (int) (this.location.partSegments() * sealed + (first ? SegmentedStreamFormat.HEADER_LENGTH : 0));
	}

	/**
	 * Starts a multipart upload under the blob's key and records it in the part ledger, so that any server can go
	 * on with it ({@link S3ResumableWriter}).
	 * @throws UnsupportedOperationException if the store has no part ledger
	 */
	@Override
	public BlobWriter createResumable(BlobKey key) throws IOException {
		requireLedger();
		String objectKey = this.layout.blob(key);
		if (!uploads(objectKey).isEmpty()) {
			throw new FileAlreadyExistsException(where(objectKey), null, "an unfinished blob is there already");
		}
		String uploadId = startUpload(objectKey);
		try {
			this.ledger.start(key, uploadId);
		}
		catch (RuntimeException ex) {
			abort(objectKey, uploadId);
			throw ex;
		}
		return S3ResumableWriter.created(this, key, uploadId, this.ledger);
	}

	private String startUpload(String objectKey) throws IOException {
		return call("start an upload of " + objectKey, () -> this.client.createMultipartUpload(
				CreateMultipartUploadRequest.builder()
					.bucket(this.location.bucket())
					.key(objectKey)
					.contentType("application/octet-stream")
					.checksumAlgorithm((this.location.partChecksum() == PartChecksum.SHA256) ? ChecksumAlgorithm.SHA256
							: null)
					.build())
			.uploadId());
	}

	/**
	 * Goes on with the unfinished blob of a resumable upload, from the part ledger: a part a server that died left
	 * recorded as intended is adopted (recorded done) if S3 lists it with the recorded MD5 as its ETag, since it was
	 * then stored whole, and forgotten otherwise (it was never stored whole, and its segments are sealed again);
	 * the pending object of the part after the last one done is loaded. A blob whose multipart upload was completed
	 * (its request died before the database recorded it) is opened as the completed object.
	 * @throws NoSuchFileException if there is no such blob
	 */
	@Override
	public BlobWriter resume(BlobKey key) throws IOException {
		requireLedger();
		String objectKey = this.layout.blob(key);
		if (exists(objectKey)) {
			return S3ResumableWriter.completed(this, key, read(key));
		}
		PartLedger.Upload upload = this.ledger.find(key)
			.orElseThrow(() -> new NoSuchFileException(where(objectKey)));
		List<PartLedger.Part> done = settle(key, objectKey, upload);
		return S3ResumableWriter.resumed(this, key, upload.uploadId(), this.ledger, done, upload.head());
	}

	/**
	 * Reads a small object into the buffer given, without another copy of it in memory.
	 * @return its length, or -1 if there is none
	 * @throws IOException if it is larger than the buffer
	 */
	int readSmall(BlobKey key, String name, byte[] buffer) throws IOException {
		String objectKey = this.layout.small(key, name);
		ResponseInputStream<GetObjectResponse> object;
		try {
			object = call("read " + objectKey,
					() -> this.client.getObject((get) -> get.bucket(this.location.bucket()).key(objectKey)));
		}
		catch (BlobStoreUnavailableException ex) {
			if (ex.getCause() instanceof S3Exception missing && missing.statusCode() == 404) {
				return -1;
			}
			throw ex;
		}
		try (InputStream in = object) {
			int read = in.readNBytes(buffer, 0, buffer.length);
			if (read == buffer.length && in.read() >= 0) {
				object.abort();
				throw new IOException(where(objectKey) + " is larger than " + buffer.length + " bytes");
			}
			return read;
		}
	}

	/**
	 * The parts done, once the intended ones are settled against what S3 lists: they must be parts 1 to n, each
	 * listed with its recorded size.
	 */
	private List<PartLedger.Part> settle(BlobKey key, String objectKey, PartLedger.Upload upload) throws IOException {
		Map<Integer, Part> listed = new HashMap<>();
		boolean intended = upload.parts().stream().anyMatch((part) -> part.status() == PartLedger.Part.Status.INTENDED);
		if (intended) {
			listed = listParts(objectKey, upload.uploadId());
		}
		List<PartLedger.Part> done = new ArrayList<>();
		for (PartLedger.Part part : upload.parts()) {
			if (part.status() == PartLedger.Part.Status.INTENDED) {
				Part stored = listed.get(part.number());
				if (stored != null && stored.size() == part.size() && part.md5().equals(unquoted(stored.eTag()))
						&& this.ledger.done(key, part.number(), part.md5())) {
					logger.info("Part " + part.number() + " of " + where(objectKey) + " was stored whole by a request "
							+ "that ended before recording it: adopted");
					part = new PartLedger.Part(part.number(), part.size(), part.md5(), PartLedger.Part.Status.DONE);
				}
				else {
					this.ledger.drop(key, part.number());
					logger.info("Part " + part.number() + " of " + where(objectKey) + " was never stored whole: "
							+ "its segments are sealed again");
					continue;
				}
			}
			if (part.number() != done.size() + 1) {
				throw new IOException("The part ledger of " + where(objectKey) + " lacks part " + (done.size() + 1));
			}
			done.add(part);
		}
		return done;
	}

	/** The parts S3 holds of an unfinished upload, by number. */
	private Map<Integer, Part> listParts(String objectKey, String uploadId) throws IOException {
		Map<Integer, Part> parts = new HashMap<>();
		call("list the parts of " + objectKey, () -> {
			this.client
				.listPartsPaginator((list) -> list.bucket(this.location.bucket()).key(objectKey).uploadId(uploadId))
				.parts()
				.forEach((part) -> parts.put(part.partNumber(), part));
			return null;
		});
		return parts;
	}

	private static String unquoted(String etag) {
		return (etag == null) ? "" : etag.replace("\"", "").toLowerCase(Locale.ROOT);
	}

	/** Whether the store takes resumable uploads: it does when it has a part ledger. */
	@Override
	public boolean resumable() {
		return this.ledger != null;
	}

	private void requireLedger() {
		if (this.ledger == null) {
			throw new UnsupportedOperationException("S3 storage location " + this.location
					+ " has no part ledger: it takes captures by a single PUT only");
		}
	}

	/** Sends a part with its MD5 as Content-MD5, and its SHA-256 if the location asks for one. */
	void uploadPart(String objectKey, String uploadId, int number, byte[] buffer, int length, byte[] md5)
			throws IOException {
		UploadPartRequest.Builder request = UploadPartRequest.builder()
			.bucket(this.location.bucket())
			.key(objectKey)
			.uploadId(uploadId)
			.partNumber(number)
			.contentLength((long) length)
			.contentMD5(Base64.getEncoder().encodeToString(md5));
		if (this.location.partChecksum() == PartChecksum.SHA256) {
			request.checksumSHA256(Checksums.sha256(buffer, length));
		}
		call("send part " + number + " of " + objectKey, () -> this.client.uploadPart(request.build(),
				RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
						"application/octet-stream")));
	}

	/**
	 * Completes a resumable upload's multipart upload with its parts as S3 lists them (their ETags and
	 * checksums), once each is found with its recorded size and MD5 (so that no part other than the one recorded,
	 * say one a request whose lease ran out sent late, goes into the object), and checks the size of the object
	 * made of them.
	 */
	void completeResumable(String objectKey, String uploadId, List<PartLedger.Part> done, long size)
			throws IOException {
		Map<Integer, Part> listed = listParts(objectKey, uploadId);
		List<CompletedPart> parts = new ArrayList<>();
		for (PartLedger.Part part : done) {
			Part stored = listed.get(part.number());
			if (stored == null || stored.size() != part.size() || !part.md5().equals(unquoted(stored.eTag()))) {
				throw new IOException("Part " + part.number() + " of " + where(objectKey) + " is not stored as recorded"
						+ " (its ETag must be the MD5 of its bytes: no SSE-KMS or SSE-C for resumable uploads)");
			}
			parts.add(CompletedPart.builder()
				.partNumber(part.number())
				.eTag(stored.eTag())
				.checksumSHA256(stored.checksumSHA256())
				.build());
		}
		call("complete the upload of " + objectKey,
				() -> this.client.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
					.bucket(this.location.bucket())
					.key(objectKey)
					.uploadId(uploadId)
					.multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
					.build()));
		long stored = call("read the size of " + objectKey, () -> this.client
			.headObject((head) -> head.bucket(this.location.bucket()).key(objectKey))
			.contentLength());
		if (stored != size) {
			throw new IOException(where(objectKey) + " has " + stored + " bytes after its upload completed, " + size
					+ " were sent");
		}
	}

	/** PutObject of a small object from the first {@code length} bytes of a buffer. */
	void putObject(BlobKey key, String name, byte[] bytes, int length) throws IOException {
		String objectKey = this.layout.small(key, name);
		PutObjectRequest.Builder put = PutObjectRequest.builder()
			.bucket(this.location.bucket())
			.key(objectKey)
			.contentLength((long) length)
			.contentMD5(Checksums.md5(bytes, length));
		call("write " + objectKey, () -> this.client.putObject(put.build(), RequestBody.fromContentProvider(
				() -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream")));
	}

	void deleteSmall(BlobKey key, String name) throws IOException {
		deleteObjects(List.of(this.layout.small(key, name)));
	}

	/** Deletes the pending objects of a resumable upload's blob. */
	void deletePending(BlobKey key) throws IOException {
		List<String> keys = new ArrayList<>();
		for (StoredObject object : list(key)) {
			if (object.kind() == Kind.SMALL && object.name().startsWith(S3ResumableWriter.PENDING)) {
				keys.add(this.layout.small(key, object.name()));
			}
		}
		deleteObjects(keys);
	}

	/** Whether a completed object is under the key. */
	private boolean exists(String objectKey) throws IOException {
		return size(objectKey) >= 0;
	}

	/** The size of the completed object under the key, or -1 if there is none. */
	private long size(String objectKey) throws IOException {
		return call("read the size of " + objectKey, () -> {
			try {
				return this.client.headObject((head) -> head.bucket(this.location.bucket()).key(objectKey))
					.contentLength();
			}
			catch (NoSuchKeyException ex) {
				return -1L;
			}
			catch (S3Exception ex) {
				if (ex.statusCode() == 404) {
					return -1L;
				}
				throw ex;
			}
		});
	}

	/**
	 * A look at the unfinished blob of a resumable upload: its header and its size as the part ledger and the
	 * pending object tell ({@link S3UnfinishedBlob}).
	 */
	private SeekableByteChannel unfinished(BlobKey key) throws IOException {
		String objectKey = this.layout.blob(key);
		PartLedger.Upload upload = (this.ledger != null) ? this.ledger.find(key).orElse(null) : null;
		if (upload == null) {
			throw new NoSuchFileException(where(objectKey));
		}
		long size = upload.parts().stream().mapToLong(PartLedger.Part::size).sum();
		boolean intended = upload.parts().stream().anyMatch((part) -> part.status() == PartLedger.Part.Status.INTENDED);
		if (!intended) {
			long pending = size(this.layout.small(key, S3ResumableWriter.PENDING + (upload.parts().size() + 1)));
			size += Math.max(0, pending);
		}
		return new S3UnfinishedBlob(upload.head(), size);
	}

	/**
	 * Reads the completed object by ranged GETs; its size from HeadObject. Without one, a resumable upload's
	 * unfinished blob can be looked at: its header and its size.
	 */
	@Override
	public SeekableByteChannel read(BlobKey key) throws IOException {
		String objectKey = this.layout.blob(key);
		long size = size(objectKey);
		if (size < 0) {
			return unfinished(key);
		}
		return new S3ReadChannel(this, objectKey, size, this.readWindow);
	}

	/** PutObject of {@code <prefix>/<associationId>/<storeId>-<name>}: S3 stores an object whole or not at all. */
	@Override
	public void putSmall(BlobKey key, String name, byte[] bytes) throws IOException {
		String objectKey = this.layout.small(key, name);
		PutObjectRequest.Builder put = PutObjectRequest.builder()
			.bucket(this.location.bucket())
			.key(objectKey)
			.contentLength((long) bytes.length);
		switch (this.location.partChecksum()) {
			case MD5 -> put.contentMD5(Checksums.md5(bytes, bytes.length));
			case SHA256 -> put.checksumSHA256(Checksums.sha256(bytes, bytes.length));
			case NONE -> {
			}
		}
		call("write " + objectKey, () -> this.client.putObject(put.build(), RequestBody.fromBytes(bytes)));
	}

	@Override
	public Optional<byte[]> getSmall(BlobKey key, String name, int maxLength) throws IOException {
		String objectKey = this.layout.small(key, name);
		ResponseInputStream<GetObjectResponse> object;
		try {
			object = call("read " + objectKey,
					() -> this.client.getObject((get) -> get.bucket(this.location.bucket()).key(objectKey)));
		}
		catch (BlobStoreUnavailableException ex) {
			if (ex.getCause() instanceof S3Exception missing && missing.statusCode() == 404) {
				return Optional.empty();
			}
			throw ex;
		}
		try (InputStream in = object) {
			Long length = object.response().contentLength();
			if (length != null && length > maxLength) {
				object.abort();
				throw new IOException(where(objectKey) + " is larger than " + maxLength + " bytes");
			}
			byte[] bytes = in.readNBytes(maxLength + 1);
			if (bytes.length > maxLength) {
				throw new IOException(where(objectKey) + " is larger than " + maxLength + " bytes");
			}
			return Optional.of(bytes);
		}
	}

	/** A local temporary file ({@link LocalScratch}): S3 never sees it. */
	@Override
	public SeekableByteChannel scratch(BlobKey key) throws IOException {
		return LocalScratch.create();
	}

	/** ListObjectsV2 and ListMultipartUploads under the prefix, a page at a time. */
	@Override
	public List<StoredObject> list() throws IOException {
		return objects(this.layout.root(), this.layout.root());
	}

	@Override
	public List<StoredObject> list(BlobKey key) throws IOException {
		return objects(this.layout.version(key), this.layout.blob(key));
	}

	private List<StoredObject> objects(String objectPrefix, String uploadPrefix) throws IOException {
		List<StoredObject> objects = new ArrayList<>();
		call("list " + where(objectPrefix), () -> {
			for (S3Object object : this.client
				.listObjectsV2Paginator((list) -> list.bucket(this.location.bucket()).prefix(objectPrefix))
				.contents()) {
				Named named = this.layout.parse(object.key());
				if (named != null) {
					objects.add(new StoredObject(named.key(), named.kind(), named.name(), object.size(),
							where(object.key())));
				}
			}
			return null;
		});
		for (MultipartUpload upload : uploads(uploadPrefix)) {
			Named named = this.layout.parse(upload.key());
			if (named != null && named.kind() == Kind.BLOB) {
				// the size of an unfinished blob would take a ListParts per upload; nothing needs it here
				objects.add(new StoredObject(named.key(), Kind.UNFINISHED_BLOB, null, 0,
						where(upload.key()) + " (upload " + upload.uploadId() + ")"));
			}
		}
		return objects;
	}

	/** The unfinished uploads whose keys start with the prefix. */
	private List<MultipartUpload> uploads(String prefix) throws IOException {
		List<MultipartUpload> uploads = new ArrayList<>();
		call("list the unfinished uploads of " + where(prefix), () -> {
			this.client
				.listMultipartUploadsPaginator((list) -> list.bucket(this.location.bucket()).prefix(prefix))
				.uploads()
				.forEach(uploads::add);
			return null;
		});
		return uploads;
	}

	/** DeleteObject of a blob or small object; an unfinished blob's uploads are aborted. */
	@Override
	public void delete(StoredObject object) throws IOException {
		BlobKey key = object.key();
		switch (object.kind()) {
			case BLOB -> deleteObjects(List.of(this.layout.blob(key)));
			case SMALL -> deleteObjects(List.of(this.layout.small(key, object.name())));
			case UNFINISHED_BLOB -> abortUploads(this.layout.blob(key));
			case SCRATCH -> {
				// a local temporary file, deleted when its request closes it
			}
		}
	}

	/** Every object of the key in DeleteObjects batches, and its unfinished uploads aborted. */
	@Override
	public void delete(BlobKey key) throws IOException {
		List<String> keys = new ArrayList<>();
		for (StoredObject object : list(key)) {
			switch (object.kind()) {
				case BLOB -> keys.add(this.layout.blob(key));
				case SMALL -> keys.add(this.layout.small(key, object.name()));
				default -> {
				}
			}
		}
		deleteObjects(keys);
		abortUploads(this.layout.blob(key));
	}

	private void deleteObjects(List<String> keys) throws IOException {
		for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
			List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH))
				.stream()
				.map((key) -> ObjectIdentifier.builder().key(key).build())
				.toList();
			var answer = call("delete " + batch.size() + " object(s)",
					() -> this.client.deleteObjects((delete) -> delete.bucket(this.location.bucket())
						.delete(Delete.builder().objects(batch).quiet(true).build())));
			if (answer.hasErrors() && !answer.errors().isEmpty()) {
				throw new BlobStoreUnavailableException("S3 storage location " + this.location + " could not delete "
						+ answer.errors().get(0).key() + ": " + answer.errors().get(0).code(), null);
			}
		}
	}

	private void abortUploads(String objectKey) throws IOException {
		for (MultipartUpload upload : uploads(objectKey)) {
			if (upload.key().equals(objectKey)) {
				abort(objectKey, upload.uploadId());
			}
		}
	}

	/** Aborts an upload; one that is gone already (NoSuchUpload, or NoSuchKey on Ceph) is fine. */
	void abort(String objectKey, String uploadId) throws IOException {
		call("abort the upload of " + objectKey, () -> {
			try {
				this.client.abortMultipartUpload(AbortMultipartUploadRequest.builder()
					.bucket(this.location.bucket())
					.key(objectKey)
					.uploadId(uploadId)
					.build());
			}
			catch (NoSuchUploadException | NoSuchKeyException ex) {
				logger.debug("Upload " + uploadId + " of " + objectKey + " is gone already");
			}
			return null;
		});
	}

	/**
	 * The capacity less the committed bytes the database records at the location, as a budget: a blob being
	 * written takes none of it until it is committed, so its reservation counts whole until then.
	 */
	@Override
	public Room room() {
		return new Room(this.location.capacityBytes() - this.storedBytes.getAsLong(), 0, 0, true);
	}

	/** Whether the bucket answers HeadBucket now. */
	@Override
	public boolean writable() {
		try {
			this.client.headBucket((head) -> head.bucket(this.location.bucket()));
			return true;
		}
		catch (SdkException ex) {
			logger.debug("S3 storage location " + this.location + " does not answer: " + describe(ex));
			return false;
		}
	}

	S3Layout layout() {
		return this.layout;
	}

	S3Location location() {
		return this.location;
	}

	S3Client client() {
		return this.client;
	}

	PartBuffers buffers() {
		return this.buffers;
	}

	AsyncTaskExecutor senders() {
		return this.senders;
	}

	/** An object's place, for people to read: {@code s3://bucket/key}. */
	String where(String objectKey) {
		return "s3://" + this.location.bucket() + "/" + objectKey;
	}

	/** Runs a call to S3, turning its failure into an IOException that says what failed where. */
	<T> T call(String what, S3Call<T> call) throws BlobStoreUnavailableException {
		try {
			return call.run();
		}
		catch (SdkException ex) {
			throw new BlobStoreUnavailableException(
					"S3 storage location " + this.location + " could not " + what + ": " + describe(ex), ex);
		}
	}

	/** What went wrong, from the status and code S3 answered, or the client's own failure. */
	static String describe(SdkException ex) {
		if (ex instanceof S3Exception s3) {
			String code = (s3.awsErrorDetails() != null) ? s3.awsErrorDetails().errorCode() : null;
			return switch (s3.statusCode()) {
				case 403 -> "access denied (" + code + "); check the credentials and the bucket's policy";
				case 404 -> "not found (" + code + ")";
				default -> "S3 answered " + s3.statusCode() + " (" + code + ")";
			};
		}
		return ex.getMessage();
	}

	@Override
	public String toString() {
		return "S3BlobStore[" + this.location + "]";
	}

	/** A call to S3. */
	@FunctionalInterface
	interface S3Call<T> {

		T run();

	}

}
