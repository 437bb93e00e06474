package org.statemigration.smp.store.internal;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.s3.PartLedger;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The part ledger of S3 locations in the database ({@code s3_upload}, {@code s3_upload_part}), which every server
 * shares. Its rows hang off the upload's {@code resumable_upload} row and go with it: when the upload is
 * committed, terminated or discarded.
 */
@Repository
public class PartLedgerRepository implements PartLedger {

	private final JdbcClient jdbc;

	private final Clock clock;

	public PartLedgerRepository(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public void start(BlobKey key, String uploadId) {
		this.jdbc.sql("INSERT INTO s3_upload (store_id, upload_id) VALUES (?, ?)")
			.params(key.storeId(), uploadId)
			.update();
	}

	@Override
	public Optional<Upload> find(BlobKey key) {
		List<Part> parts = this.jdbc.sql("""
				SELECT part_number, size_bytes, md5, status FROM s3_upload_part WHERE store_id = ?
				ORDER BY part_number""")
			.param(key.storeId())
			.query((rs, row) -> new Part(rs.getInt("part_number"), rs.getLong("size_bytes"), rs.getString("md5"),
					Part.Status.valueOf(rs.getString("status"))))
			.list();
		return this.jdbc.sql("SELECT upload_id, head FROM s3_upload WHERE store_id = ?")
			.param(key.storeId())
			.query((rs, row) -> new Upload(rs.getString("upload_id"), rs.getBytes("head"), parts))
			.optional();
	}

	@Override
	public void head(BlobKey key, byte[] head) {
		this.jdbc.sql("UPDATE s3_upload SET head = ? WHERE store_id = ? AND head IS NULL")
			.params(head, key.storeId())
			.update();
	}

	@Override
	public void intend(BlobKey key, Part part) {
		// a part done is never sent again: its row stays, and the insert fails
		this.jdbc.sql("DELETE FROM s3_upload_part WHERE store_id = ? AND part_number = ? AND status = 'INTENDED'")
			.params(key.storeId(), part.number())
			.update();
		this.jdbc.sql("""
				INSERT INTO s3_upload_part (store_id, part_number, size_bytes, md5, status, updated_at)
				VALUES (?, ?, ?, ?, 'INTENDED', ?)""")
			.params(key.storeId(), part.number(), part.size(), part.md5(),
					this.clock.instant().atOffset(ZoneOffset.UTC))
			.update();
	}

	@Override
	public boolean done(BlobKey key, int number, String md5) {
		return this.jdbc.sql("""
				UPDATE s3_upload_part SET status = 'DONE', updated_at = ?
				WHERE store_id = ? AND part_number = ? AND md5 = ? AND status = 'INTENDED'""")
			.params(this.clock.instant().atOffset(ZoneOffset.UTC), key.storeId(), number, md5)
			.update() == 1;
	}

	@Override
	public void drop(BlobKey key, int number) {
		this.jdbc.sql("DELETE FROM s3_upload_part WHERE store_id = ? AND part_number = ?")
			.params(key.storeId(), number)
			.update();
	}

}
