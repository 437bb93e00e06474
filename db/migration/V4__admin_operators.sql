-- Operator accounts for the admin API and the console.

CREATE TABLE operator (
    username       VARCHAR(100)             NOT NULL PRIMARY KEY,
    password_hash  VARCHAR(500)             NOT NULL,
    roles          VARCHAR(200)             NOT NULL,
    enabled        BOOLEAN                  NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
