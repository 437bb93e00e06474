-- Computers and the computer associations that link a source to a destination.

CREATE TABLE computer (
    id              UUID                     NOT NULL PRIMARY KEY,
    name            VARCHAR(63)              NOT NULL,
    -- lower-cased name: computer names are unique regardless of case
    name_key        VARCHAR(63)              NOT NULL,
    smbios_guid     UUID,
    mac_addresses   VARCHAR(2000),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uk_computer_name_key UNIQUE (name_key)
);

CREATE TABLE computer_association (
    id                       UUID                     NOT NULL PRIMARY KEY,
    source_computer_id       UUID                     NOT NULL REFERENCES computer (id),
    destination_computer_id  UUID                     NOT NULL REFERENCES computer (id),
    migration_type           VARCHAR(20)              NOT NULL,
    user_account_mode        VARCHAR(40)              NOT NULL,
    -- newline-separated DOMAIN\user names
    user_accounts            TEXT,
    notes                    VARCHAR(1000),
    state                    VARCHAR(20)              NOT NULL,
    -- the encryption key handed to clients (recovery information), wrapped by the master key
    encryption_key_wrapped   BYTEA                    NOT NULL,
    key_algorithm            VARCHAR(20)              NOT NULL,
    store_size_bytes         BIGINT,
    store_sha256             VARCHAR(64),
    captured_at              TIMESTAMP WITH TIME ZONE,
    restored_at              TIMESTAMP WITH TIME ZONE,
    delete_at                TIMESTAMP WITH TIME ZONE,
    data_deleted_at          TIMESTAMP WITH TIME ZONE,
    legal_hold               BOOLEAN                  NOT NULL DEFAULT FALSE,
    created_at               TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by               VARCHAR(100)             NOT NULL,
    updated_at               TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ix_association_source ON computer_association (source_computer_id);
CREATE INDEX ix_association_destination ON computer_association (destination_computer_id);
CREATE INDEX ix_association_state ON computer_association (state);
