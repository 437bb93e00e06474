-- Operator usernames are unique regardless of case: "bob" and "BOB" are one account. The key is the lower-case
-- username, kept in its own column with a unique constraint (a portable alternative to an index on LOWER()).
-- Accounts created before this rule whose names differ only in case keep working: all but the first of them (in
-- name order) get a key that no new name can take, since ':' is not allowed in a username.

ALTER TABLE operator ADD COLUMN username_key VARCHAR(200);

UPDATE operator SET username_key = LOWER(username);

UPDATE operator SET username_key = 'case-duplicate:' || username
WHERE EXISTS (SELECT 1 FROM operator AS earlier
              WHERE LOWER(earlier.username) = LOWER(operator.username) AND earlier.username < operator.username);

ALTER TABLE operator ALTER COLUMN username_key SET NOT NULL;

ALTER TABLE operator ADD CONSTRAINT operator_username_key_unique UNIQUE (username_key);
