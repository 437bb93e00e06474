-- Storage folders as lock rows, and quota reservations: room taken in a folder before any byte is accepted.

CREATE TABLE storage_folder (
    location       VARCHAR(1000)            NOT NULL PRIMARY KEY,
    registered_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE storage_reservation (
    id              UUID                     NOT NULL PRIMARY KEY,
    association_id  UUID                     NOT NULL,
    -- the version being uploaded, once an upload has started
    store_id        UUID,
    folder          VARCHAR(1000)            NOT NULL,
    bytes           BIGINT                   NOT NULL,
    -- the server that holds it, so that a restarted server releases what it held when it died
    node_id         VARCHAR(64)              NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ix_reservation_folder ON storage_reservation (folder);
CREATE INDEX ix_reservation_association ON storage_reservation (association_id);
CREATE INDEX ix_reservation_expires ON storage_reservation (expires_at);

ALTER TABLE state_store ADD COLUMN node_id VARCHAR(64);
