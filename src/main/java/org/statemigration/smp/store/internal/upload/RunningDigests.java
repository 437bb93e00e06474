package org.statemigration.smp.store.internal.upload;

import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * The SHA-256 of what each resumable upload holds so far, kept in memory between its requests on this server. The
 * JDK cannot save a digest's state to disk, so after a restart, or when the upload went on on another server, the
 * digest is missing (or at another offset) and the caller rebuilds it from the stored prefix. Bounded: the least
 * recently used entries go first.
 */
@Component
class RunningDigests {

	private static final int MAX_ENTRIES = 10_000;

	private final Map<UUID, Entry> digests = new LinkedHashMap<>(16, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<UUID, Entry> eldest) {
			return size() > MAX_ENTRIES;
		}
	};

	/** Takes the upload's digest if it stands at this offset; the caller owns it from then on. */
	synchronized Optional<MessageDigest> take(UUID uploadId, long offset) {
		Entry entry = this.digests.remove(uploadId);
		return (entry != null && entry.offset() == offset) ? Optional.of(entry.digest()) : Optional.empty();
	}

	/** Keeps the upload's digest, which stands at this offset. */
	synchronized void put(UUID uploadId, long offset, MessageDigest digest) {
		this.digests.put(uploadId, new Entry(offset, digest));
	}

	synchronized void forget(UUID uploadId) {
		this.digests.remove(uploadId);
	}

	private record Entry(long offset, MessageDigest digest) {
	}

}
