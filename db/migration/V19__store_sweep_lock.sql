-- The locks of jobs that run on one server of a cluster at a time (ShedLock's table): the sweep of S3 locations.
-- A server takes a lock by writing lock_until in the future; another server skips the job until then. Times are
-- the database's own clock in UTC, written and compared by the lock's statements alone, so they are timestamps
-- without a zone, as ShedLock reads and writes them on every database; no other table is joined with them.

CREATE TABLE shedlock (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    lock_until  TIMESTAMP    NOT NULL,
    locked_at   TIMESTAMP    NOT NULL,
    -- the node id of the server that took the lock last
    locked_by   VARCHAR(255) NOT NULL
);
