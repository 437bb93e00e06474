-- Each server records here that it is alive, every smp.storage.reconcile-interval (and on each health check).
-- What a server that fell silent held (reservations and versions of single-request uploads, resumable upload
-- leases) is released by the servers that are still alive.

CREATE TABLE node_heartbeat (
    node_id  VARCHAR(64)              NOT NULL PRIMARY KEY,
    seen_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
