-- The append-only, hash-chained audit log. Each event carries the hash of the one before it; audit_head holds
-- the newest sequence number and hash, and is locked while an event is appended, so the chain has no gaps or forks.

CREATE TABLE audit_event (
    seq             BIGINT                   NOT NULL PRIMARY KEY,
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    actor           VARCHAR(200)             NOT NULL,
    action          VARCHAR(100)             NOT NULL,
    target          VARCHAR(500),
    outcome         VARCHAR(20)              NOT NULL,
    detail          VARCHAR(2000),
    remote_address  VARCHAR(100),
    -- lowercase hex SHA-256 of the previous event's hash and this event's fields
    prev_hash       VARCHAR(64)              NOT NULL,
    hash            VARCHAR(64)              NOT NULL
);

CREATE INDEX ix_audit_event_at ON audit_event (at);
CREATE INDEX ix_audit_event_actor ON audit_event (actor);
CREATE INDEX ix_audit_event_action ON audit_event (action);

CREATE TABLE audit_head (
    id         INTEGER      NOT NULL PRIMARY KEY,
    last_seq   BIGINT       NOT NULL,
    last_hash  VARCHAR(64)  NOT NULL
);

INSERT INTO audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
