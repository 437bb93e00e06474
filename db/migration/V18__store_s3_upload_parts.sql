-- Resumable uploads on S3 locations. A multipart upload's parts cannot be read back before it is completed, so
-- the database keeps what any server needs to go on with one: the multipart upload's id and the blob's header
-- (part 1 holds it, unreadable once sent), and a ledger of its parts. A part is recorded INTENDED, with its size
-- and the MD5 of its bytes, before it is sent, and DONE once S3 answered; a part left INTENDED by a server that
-- died is adopted if S3 lists it with that MD5 as its ETag (it was stored whole), and dropped otherwise. The rows
-- go with the upload's row: when it is committed, terminated or discarded.

CREATE TABLE s3_upload (
    store_id    UUID          NOT NULL PRIMARY KEY,
    upload_id   VARCHAR(1024) NOT NULL,
    -- the first bytes of the blob (the segmented stream's header), once written
    head        BYTEA,
    CONSTRAINT fk_s3_upload_resumable FOREIGN KEY (store_id) REFERENCES resumable_upload (store_id)
        ON DELETE CASCADE
);

CREATE TABLE s3_upload_part (
    store_id     UUID                     NOT NULL,
    part_number  INTEGER                  NOT NULL,
    size_bytes   BIGINT                   NOT NULL,
    -- the MD5 of the part's bytes, hex: what S3 answers as the part's ETag
    md5          VARCHAR(32)              NOT NULL,
    -- INTENDED or DONE
    status       VARCHAR(16)              NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_s3_upload_part PRIMARY KEY (store_id, part_number),
    CONSTRAINT fk_s3_upload_part_upload FOREIGN KEY (store_id) REFERENCES s3_upload (store_id) ON DELETE CASCADE
);
