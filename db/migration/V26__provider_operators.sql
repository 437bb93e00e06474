-- Operators who signed in to the console with the organisation's OpenID provider: who they are at the provider
-- (issuer and subject), the name smp shows, the roles the provider's claims gave at the last sign-in, and when.
-- Only a record: the roles of a sign-in always come from the provider, never from here.
CREATE TABLE provider_operator (
    issuer           VARCHAR(500)             NOT NULL,
    subject          VARCHAR(255)             NOT NULL,
    name             VARCHAR(300)             NOT NULL,
    roles            VARCHAR(200)             NOT NULL,
    first_sign_in_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_sign_in_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (issuer, subject)
);
