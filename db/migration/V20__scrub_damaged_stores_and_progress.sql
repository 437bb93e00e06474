-- The integrity scrub: the committed versions it found damaged, and where the scheduled scrub stands.

-- A damaged version is marked here and never handed out whole: a restore of it is refused. The mark goes with the
-- version's row; an operator clears it by checking the version again and finding it intact.
CREATE TABLE scrub_damaged_store (
    store_id        UUID                     NOT NULL PRIMARY KEY,
    association_id  UUID                     NOT NULL,
    -- what was found: authentication-failed, truncated, extended, malformed, digest-mismatch, missing
    verdict         VARCHAR(30)              NOT NULL,
    -- the segment that failed authentication, from 0
    segment         BIGINT,
    detail          VARCHAR(1000)            NOT NULL,
    found_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    -- the scheduled scrub (and the node that ran it), the verify command, or an operator's check
    found_by        VARCHAR(255)             NOT NULL,
    CONSTRAINT fk_scrub_damaged_store FOREIGN KEY (store_id) REFERENCES state_store (id) ON DELETE CASCADE
);

CREATE INDEX ix_scrub_damaged_store_association ON scrub_damaged_store (association_id);

-- One row: the pass of the scheduled scrub under way (the last version it checked, so that a pass cut short by a
-- restart or a lost lock goes on from there) and the last pass that ended.
CREATE TABLE scrub_progress (
    id                      INTEGER                  NOT NULL PRIMARY KEY,
    pass_started_at         TIMESTAMP WITH TIME ZONE,
    last_store_id           UUID,
    stores_checked          BIGINT                   NOT NULL,
    bytes_checked           BIGINT                   NOT NULL,
    damaged_found           BIGINT                   NOT NULL,
    unreadable              BIGINT                   NOT NULL,
    last_pass_started_at    TIMESTAMP WITH TIME ZONE,
    last_pass_finished_at   TIMESTAMP WITH TIME ZONE,
    last_pass_stores        BIGINT,
    last_pass_bytes         BIGINT,
    last_pass_damaged       BIGINT,
    last_pass_unreadable    BIGINT,
    last_pass_by            VARCHAR(255),
    CONSTRAINT ck_scrub_progress_one_row CHECK (id = 1)
);

INSERT INTO scrub_progress (id, stores_checked, bytes_checked, damaged_found, unreadable) VALUES (1, 0, 0, 0, 0);
