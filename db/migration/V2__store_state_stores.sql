-- Stored versions of state stores. At most one COMMITTED version per association is current.

CREATE TABLE state_store (
    id                UUID                     NOT NULL PRIMARY KEY,
    association_id    UUID                     NOT NULL,
    version           BIGINT                   NOT NULL,
    -- absolute location of the storage folder that holds the file
    folder            VARCHAR(1000)            NOT NULL,
    file_name         VARCHAR(200)             NOT NULL,
    status            VARCHAR(20)              NOT NULL,
    -- the data key, wrapped by the master key; set to NULL to crypto-shred the version
    data_key_wrapped  BYTEA,
    size_bytes        BIGINT,
    sha256            VARCHAR(64),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    committed_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uk_state_store_version UNIQUE (association_id, version)
);

CREATE INDEX ix_state_store_association ON state_store (association_id, status);
CREATE INDEX ix_state_store_status ON state_store (status);
