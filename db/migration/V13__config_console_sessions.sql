-- The web console's sessions (Spring Session JDBC), so that every server of a cluster knows every operator's
-- sign-in: a request may reach any of them. The tables are spring-session-jdbc's own (its schema-postgresql.sql;
-- its schema-h2.sql differs only in naming the attribute column's type LONGVARBINARY, and H2 takes BYTEA too).
-- Flyway creates them, not Spring Session's schema initializer (spring.session.jdbc.initialize-schema=never), so
-- that they have their place in the one migration history. Expired sessions are deleted every minute by each
-- server (DELETE ... WHERE expiry_time < ?, on the index spring_session_ix2); attributes go with them (cascade).

CREATE TABLE spring_session (
    primary_id             CHAR(36)     NOT NULL,
    session_id             CHAR(36)     NOT NULL,
    creation_time          BIGINT       NOT NULL,
    last_access_time       BIGINT       NOT NULL,
    max_inactive_interval  INT          NOT NULL,
    expiry_time            BIGINT       NOT NULL,
    principal_name         VARCHAR(100),
    CONSTRAINT spring_session_pk PRIMARY KEY (primary_id)
);

CREATE UNIQUE INDEX spring_session_ix1 ON spring_session (session_id);
CREATE INDEX spring_session_ix2 ON spring_session (expiry_time);
CREATE INDEX spring_session_ix3 ON spring_session (principal_name);

CREATE TABLE spring_session_attributes (
    session_primary_id  CHAR(36)      NOT NULL,
    attribute_name      VARCHAR(200)  NOT NULL,
    -- the Java serialization of one attribute: the security context (the operator's name and roles, never the
    -- password, which Spring Security erases after sign-in), the CSRF token, a saved request
    attribute_bytes     BYTEA         NOT NULL,
    CONSTRAINT spring_session_attributes_pk PRIMARY KEY (session_primary_id, attribute_name),
    CONSTRAINT spring_session_attributes_fk FOREIGN KEY (session_primary_id)
        REFERENCES spring_session (primary_id) ON DELETE CASCADE
);
