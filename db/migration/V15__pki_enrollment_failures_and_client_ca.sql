-- Failed enrollments, per remote address, counted in the database so that failures spread over the servers of a
-- cluster add up to one throttle (smp.enrollment.max-failures within smp.enrollment.failure-window). Same shape
-- and sweep as sign_in_failure.

CREATE TABLE enrollment_failure (
    failure_key       VARCHAR(100)             NOT NULL PRIMARY KEY,
    first_failure_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    failures          INT                      NOT NULL,
    barred_until      TIMESTAMP WITH TIME ZONE,
    forget_after      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX enrollment_failure_forget_after ON enrollment_failure (forget_after);

-- The client CA, shared by every server: its certificate and its PKCS#8 private key wrapped by the master key
-- (context "ca-private-key"), as in the files keys/ca.crt and keys/ca.key.wrapped of earlier versions, which the
-- first server to start imports. One row (id 1): servers starting at once on an empty database each insert theirs
-- with ON CONFLICT DO NOTHING, and all of them read back the one that won.

CREATE TABLE client_ca (
    id                   INT                      NOT NULL PRIMARY KEY,
    certificate_pem      VARCHAR(8000)            NOT NULL,
    private_key_wrapped  BYTEA                    NOT NULL,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT client_ca_one_row CHECK (id = 1)
);
