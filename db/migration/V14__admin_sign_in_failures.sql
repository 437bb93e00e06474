-- Failed operator sign-ins, per username (lower-case), counted in the database so that failures spread over the
-- servers of a cluster add up to one lockout (smp.admin.max-failed-logins within smp.admin.lockout). One row per
-- username, updated in place; a row is deleted once forget_after has passed (the end of its window, or of its
-- lockout), by every server's sweep, and at once after a successful sign-in.

CREATE TABLE sign_in_failure (
    failure_key       VARCHAR(100)             NOT NULL PRIMARY KEY,
    first_failure_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    failures          INT                      NOT NULL,
    barred_until      TIMESTAMP WITH TIME ZONE,
    forget_after      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX sign_in_failure_forget_after ON sign_in_failure (forget_after);
