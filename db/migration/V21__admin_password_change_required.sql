-- An operator whose password an administrator has reset (to a temporary password) must choose a new one at the
-- next sign-in: until then the account may do nothing else. The API answers every other request with 403
-- password-change-required; the console shows only its password page.

ALTER TABLE operator ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT FALSE;
