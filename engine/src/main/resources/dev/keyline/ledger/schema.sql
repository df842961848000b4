-- Keyline's ledger: the truth about which device got which identity. It lives in the same database as the
-- Spring Batch JobRepository and is written in the chunk's transaction. Plain SQL that H2 and PostgreSQL share.
CREATE TABLE IF NOT EXISTS device_identity (
    output_id         VARCHAR(36)   NOT NULL,
    device_id         VARCHAR(128)  NOT NULL,
    job_instance_id   BIGINT        NOT NULL,
    job_execution_id  BIGINT        NOT NULL,
    row_index         BIGINT        NOT NULL,
    source_line       BIGINT        NOT NULL,
    thing_name        VARCHAR(128)  NOT NULL,
    certificate_id    CHAR(64)      NOT NULL,
    serial_hex        VARCHAR(64)   NOT NULL,
    public_key_sha256 CHAR(64)      NOT NULL,
    not_before        TIMESTAMP WITH TIME ZONE NOT NULL,
    not_after         TIMESTAMP WITH TIME ZONE NOT NULL,
    key_algorithm     VARCHAR(16)   NOT NULL,
    key_location      VARCHAR(16)   NOT NULL,
    bundle_path       VARCHAR(600)  NOT NULL,
    bundle_sums       VARCHAR(4000) NOT NULL,
    status            VARCHAR(24)   NOT NULL,
    issued_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (output_id, device_id)
);
-- No index on certificate_id: nothing looks a device up by it, and a certificate id (SHA-256 of a DER holding a
-- 159-bit random serial) cannot repeat. An index on such random keys dirties a random page per inserted row: on
-- H2 it tripled the ledger's file growth and time per chunk (measured: 50,000 rows, 252 MB / 20 s with the two
-- random indexes, 83 MB / 8 s without). Ledgers made before this drop it.
DROP INDEX IF EXISTS device_identity_certificate;
CREATE INDEX IF NOT EXISTS device_identity_instance ON device_identity (job_instance_id, row_index);

-- The public keys that devices made themselves (a CSR), so a CSR whose key another device already has is refused
-- (a duplicated row, or a cloned secure element). Only these: a key Keyline makes (in software or a token) is
-- fresh by construction, and indexing every device's key hash dirtied a random index page per inserted row: on
-- 1,000,000 devices that index was most of the ledger's 19.5 GB of writes. Written in the chunk's transaction,
-- with the identity. Ledgers made before this keep their DEVICE keys: Ledger.createSchema copies them here once.
CREATE TABLE IF NOT EXISTS device_made_key (
    public_key_sha256 CHAR(64)      NOT NULL PRIMARY KEY,
    output_id         VARCHAR(36)   NOT NULL,
    device_id         VARCHAR(128)  NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_migration (
    name              VARCHAR(64)   NOT NULL PRIMARY KEY,
    applied_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
DROP INDEX IF EXISTS device_identity_public_key;

CREATE TABLE IF NOT EXISTS device_reject (
    output_id        VARCHAR(36)   NOT NULL,
    job_instance_id  BIGINT        NOT NULL,
    row_index        BIGINT        NOT NULL,
    source_line      BIGINT        NOT NULL,
    device_id        VARCHAR(160),
    reason           VARCHAR(2000) NOT NULL,
    rejected_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (job_instance_id, row_index)
);

-- What registration needs, kept in the ledger: bundles are shipped to the line and may be gone by the time a
-- device is registered. ADD COLUMN IF NOT EXISTS (H2 and PostgreSQL both have it) so an output made before
-- registration existed still opens; its rows have no certificate and are reported, not registered.
-- certificate: the DER. BYTEA is PostgreSQL's binary type and an alias of H2's BINARY VARYING. certificate_der (the
-- same in base64 text) is only read, for rows written before: base64 text was twice the bytes, and H2 serialises
-- text a character at a time, which made it a measurable part of every chunk's commit.
-- thing_groups and accounts: ';'-delimited with a leading and trailing ';' so "accounts LIKE '%;name;%'" matches.
-- attributes: a JSON object.
ALTER TABLE device_identity ADD COLUMN IF NOT EXISTS certificate_der VARCHAR(16000);
ALTER TABLE device_identity ADD COLUMN IF NOT EXISTS thing_type VARCHAR(128);
ALTER TABLE device_identity ADD COLUMN IF NOT EXISTS thing_groups VARCHAR(4000);
ALTER TABLE device_identity ADD COLUMN IF NOT EXISTS attributes VARCHAR(8000);
ALTER TABLE device_identity ADD COLUMN IF NOT EXISTS accounts VARCHAR(2000);
ALTER TABLE device_identity ADD COLUMN IF NOT EXISTS certificate BYTEA;

-- One row per (device, target): the outcome of its latest registration attempt, written in the register step's
-- chunk transaction. A FAILED row is tried again by the next registration; a REGISTERED one never is.
CREATE TABLE IF NOT EXISTS device_registration (
    output_id         VARCHAR(36)   NOT NULL,
    device_id         VARCHAR(128)  NOT NULL,
    target            VARCHAR(64)   NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    certificate_arn   VARCHAR(300),
    thing_arn         VARCHAR(300),
    error_code        VARCHAR(128),
    error_message     VARCHAR(2000),
    attempts          INTEGER       NOT NULL,
    job_execution_id  BIGINT        NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (output_id, device_id, target)
);

-- The archive bundle layout's chunk archives (bundles/<first device id>.tar), recorded in the transaction of the
-- chunk whose devices they hold. An archive on disk without a row here belongs to a chunk that never committed:
-- it is removed before a run or restart writes again. sha256: of the archive as written, for SHA256SUMS.
CREATE TABLE IF NOT EXISTS bundle_archive (
    output_id         VARCHAR(36)   NOT NULL,
    path              VARCHAR(600)  NOT NULL,
    sha256            CHAR(64)      NOT NULL,
    size_bytes        BIGINT        NOT NULL,
    job_execution_id  BIGINT        NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (output_id, path)
);

-- Why a row was rejected, as a short code (DUPLICATE_DEVICE, INVALID_ROW, ...) for the run report's grouping; the
-- reason stays the sentence a person acts on. Rows rejected before the column existed have none.
ALTER TABLE device_reject ADD COLUMN IF NOT EXISTS reason_code VARCHAR(32);

-- One row per committed chunk: when it committed and what it held, written in the chunk's own transaction (so it is
-- exactly as durable as the chunk). The run report draws devices per second from it, per step and partition.
-- step_name: the partition's step (issue-worker:partitionN) or register. key_algorithms: of the chunk's identities,
-- "ec-p256=498;rsa-2048=2": the report's key algorithms without reading every identity row (a GROUP BY over
-- device_identity took 3.8 s on 100,000 devices, since H2 reads whole rows, certificates included).
CREATE TABLE IF NOT EXISTS chunk_commit (
    job_execution_id  BIGINT        NOT NULL,
    step_name         VARCHAR(100)  NOT NULL,
    committed_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    issued            INTEGER       NOT NULL,
    rejected          INTEGER       NOT NULL,
    registered        INTEGER       NOT NULL,
    failed            INTEGER       NOT NULL,
    key_algorithms    VARCHAR(200)
);
CREATE INDEX IF NOT EXISTS chunk_commit_execution ON chunk_commit (job_execution_id);

-- AWS calls of a register execution per target and operation, as counted so far: rewritten (not added to) by each
-- register chunk's transaction. latency_buckets: calls per latency bucket (LatencyBuckets), comma-separated.
CREATE TABLE IF NOT EXISTS registration_call (
    job_execution_id  BIGINT        NOT NULL,
    target            VARCHAR(64)   NOT NULL,
    operation         VARCHAR(64)   NOT NULL,
    calls             BIGINT        NOT NULL,
    throttles         BIGINT        NOT NULL,
    faults            BIGINT        NOT NULL,
    latency_buckets   VARCHAR(2000) NOT NULL,
    PRIMARY KEY (job_execution_id, target, operation)
);

-- Per output and accounts column value ('' for none): how many identities carry registration input. Written by the
-- export's pass over the output, deleted by every write of identities, so that when present it is exact:
-- keyline register --plan then counts from it instead of reading every row.
CREATE TABLE IF NOT EXISTS registration_summary (
    output_id         VARCHAR(36)   NOT NULL,
    accounts          VARCHAR(2000) NOT NULL,
    devices           BIGINT        NOT NULL,
    PRIMARY KEY (output_id, accounts)
);

-- The output manifest's rows of one committed chunk, written by the worker that issued them
-- (OUT/.keyline/manifest-rows/<first device id>.rows, sorted by device id), recorded in the chunk's transaction like
-- its archive: the export merges these files instead of reading every identity back. A file without a row here
-- belongs to a chunk that never committed and is removed before a run or restart writes again; an output whose
-- identities these rows do not all cover (made before them) is exported from device_identity as before.
-- first_row: the smallest row_index of the chunk's identities, so the rows removed past a partition's committed
-- position (Ledger.removeUncommitted) take their chunk's record with them.
CREATE TABLE IF NOT EXISTS manifest_chunk (
    output_id         VARCHAR(36)   NOT NULL,
    path              VARCHAR(600)  NOT NULL,
    first_device_id   VARCHAR(128)  NOT NULL,
    last_device_id    VARCHAR(128)  NOT NULL,
    rows_count        BIGINT        NOT NULL,
    size_bytes        BIGINT        NOT NULL,
    job_instance_id   BIGINT        NOT NULL,
    first_row         BIGINT        NOT NULL,
    job_execution_id  BIGINT        NOT NULL,
    PRIMARY KEY (output_id, path)
);
