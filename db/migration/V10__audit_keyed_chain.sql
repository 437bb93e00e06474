-- The audit chain becomes keyed: from keyed_from_seq on, each event's hash is an HMAC-SHA-256 under a key derived
-- from the master key (never stored here), named by key_version. Older events keep their plain SHA-256 hashes
-- (key_version NULL) and are verified as before. Rows found past the head (which only a direct write to the
-- database can leave) are moved to audit_event_orphan before an append, so that they neither block the log nor
-- pass for genuine events; verification reports them until an operator has looked at them and removed them.

ALTER TABLE audit_event ADD COLUMN key_version INTEGER;

ALTER TABLE audit_head ADD COLUMN keyed_from_seq BIGINT;

UPDATE audit_head SET keyed_from_seq = last_seq + 1;

CREATE TABLE audit_event_orphan (
    seq             BIGINT                   NOT NULL,
    at              TIMESTAMP WITH TIME ZONE,
    actor           VARCHAR(200),
    action          VARCHAR(100),
    target          VARCHAR(500),
    outcome         VARCHAR(20),
    detail          VARCHAR(2000),
    remote_address  VARCHAR(100),
    prev_hash       VARCHAR(64),
    hash            VARCHAR(64),
    key_version     INTEGER,
    set_aside_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
