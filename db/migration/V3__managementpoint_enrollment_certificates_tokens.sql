-- Enrollment codes, client certificates issued by the built-in CA, token-signing keys and spent tokens.

CREATE TABLE enrollment_code (
    id            UUID                     NOT NULL PRIMARY KEY,
    computer_id   UUID                     NOT NULL,
    -- SHA-256 of the code: the code itself is shown once and never stored
    code_hash     VARCHAR(64)              NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at       TIMESTAMP WITH TIME ZONE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by    VARCHAR(100)             NOT NULL,
    CONSTRAINT uk_enrollment_code_hash UNIQUE (code_hash)
);

CREATE TABLE client_certificate (
    serial          VARCHAR(64)              NOT NULL PRIMARY KEY,
    computer_id     UUID                     NOT NULL,
    -- hex SHA-256 of the DER certificate, as in a token's cnf.x5t#S256
    thumbprint      VARCHAR(64)              NOT NULL,
    subject         VARCHAR(200)             NOT NULL,
    not_before      TIMESTAMP WITH TIME ZONE NOT NULL,
    not_after       TIMESTAMP WITH TIME ZONE NOT NULL,
    blocked         BOOLEAN                  NOT NULL DEFAULT FALSE,
    blocked_at      TIMESTAMP WITH TIME ZONE,
    blocked_reason  VARCHAR(500),
    pem             TEXT                     NOT NULL,
    issued_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uk_client_certificate_thumbprint UNIQUE (thumbprint)
);

CREATE INDEX ix_client_certificate_computer ON client_certificate (computer_id);

CREATE TABLE token_signing_key (
    kid                    VARCHAR(64)              NOT NULL PRIMARY KEY,
    -- PKCS#8 private key, wrapped by the master key
    private_key_wrapped    BYTEA                    NOT NULL,
    public_key             BYTEA                    NOT NULL,
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    retired_at             TIMESTAMP WITH TIME ZONE
);

CREATE TABLE spent_token (
    jti          VARCHAR(64)              NOT NULL PRIMARY KEY,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    spent_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
