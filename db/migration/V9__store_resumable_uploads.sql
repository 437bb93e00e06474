-- Resumable (tus) uploads. The version being uploaded is an UPLOADING row of state_store, which holds its wrapped
-- data key like any other version; this row keeps what the protocol needs between requests. The offset counts
-- only bytes that are durable on disk. A PATCH holds a lease on the row (lease_node, lease_until) so that two
-- requests never write the same upload at once.

CREATE TABLE resumable_upload (
    store_id         UUID                     NOT NULL PRIMARY KEY,
    association_id   UUID                     NOT NULL,
    upload_length    BIGINT                   NOT NULL,
    upload_offset    BIGINT                   NOT NULL,
    -- the whole blob's SHA-256 the client declared at creation (hex), verified at the end
    expected_sha256  VARCHAR(64),
    lease_node       VARCHAR(64),
    lease_until      TIMESTAMP WITH TIME ZONE,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fk_resumable_upload_store FOREIGN KEY (store_id) REFERENCES state_store (id) ON DELETE CASCADE
);

CREATE INDEX ix_resumable_upload_association ON resumable_upload (association_id);
CREATE INDEX ix_resumable_upload_lease ON resumable_upload (lease_node);
