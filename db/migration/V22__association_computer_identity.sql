-- A computer's identity beyond its name: its SMBIOS UUID and its network adapters' MAC addresses, each of which
-- belongs to at most one computer. The column computer.mac_addresses keeps the computer's list for reading (in
-- the order given); computer_mac_address holds one row per address, so that the database itself refuses an
-- address on a second computer. Both are written together.

CREATE TABLE computer_mac_address (
    -- upper-case, colon-separated: AA:BB:CC:DD:EE:FF
    mac_address  VARCHAR(17) NOT NULL PRIMARY KEY,
    computer_id  UUID        NOT NULL REFERENCES computer (id)
);

CREATE INDEX ix_computer_mac_address_computer ON computer_mac_address (computer_id);

-- several computers without a UUID (NULL) are allowed on both databases
CREATE UNIQUE INDEX uk_computer_smbios_guid ON computer (smbios_guid);
