-- The ledger as the last version before numbered migrations made it (commit 29793b9: schema.sql, then
-- registration-tasks.sql, then the row of its one hand-made migration), then rows as that version wrote them: a CSR
-- device (its key already in device_made_key), a device registered with one target, a chunk, a rejection.
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

-- Mode bulk-task: AWS IoT's bulk registration tasks, and which device is on which line of each task's input file.
-- Written before the task starts (in their own transactions, not a chunk's: a task outlives any chunk), so a run
-- killed while its task runs finds the task again and polls it instead of starting another.
-- batch: 1, 2, 3 ... per (output, target), in the order the tasks were prepared.
-- state: PREPARED (lines recorded, file maybe uploaded, task maybe started), STARTED (task_id known), ENDED (its
-- outcomes are in device_registration). aws_status and message: DescribeThingRegistrationTask's, once it ended.
-- account: the account the task runs in (AWS runs one task per account at a time).
-- last_device_id: the batch's highest device id, where the next batch of the same register run starts.
CREATE TABLE IF NOT EXISTS registration_task (
    output_id         VARCHAR(36)   NOT NULL,
    target            VARCHAR(64)   NOT NULL,
    batch             INTEGER       NOT NULL,
    job_instance_id   BIGINT        NOT NULL,
    account           VARCHAR(12)   NOT NULL,
    input_bucket      VARCHAR(256)  NOT NULL,
    input_key         VARCHAR(1024) NOT NULL,
    line_count        INTEGER       NOT NULL,
    last_device_id    VARCHAR(128)  NOT NULL,
    task_id           VARCHAR(64),
    state             VARCHAR(16)   NOT NULL,
    aws_status        VARCHAR(16),
    message           VARCHAR(2000),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (output_id, target, batch)
);
-- line_number: from 1, as the task's reports count them.
CREATE TABLE IF NOT EXISTS registration_task_line (
    output_id         VARCHAR(36)   NOT NULL,
    target            VARCHAR(64)   NOT NULL,
    batch             INTEGER       NOT NULL,
    line_number       INTEGER       NOT NULL,
    device_id         VARCHAR(128)  NOT NULL,
    PRIMARY KEY (output_id, target, batch, line_number)
);

INSERT INTO ledger_migration (name, applied_at) VALUES ('device_made_key', TIMESTAMP WITH TIME ZONE '2026-11-20 09:00:00+00');
INSERT INTO device_identity (output_id, device_id, job_instance_id, job_execution_id, row_index, source_line,
    thing_name, certificate_id, serial_hex, public_key_sha256, not_before, not_after, key_algorithm, key_location,
    bundle_path, bundle_sums, status, issued_at, thing_type, thing_groups, attributes, accounts) VALUES
    ('out-new', 'csr-1', 1, 1, 0, 2, 'csr-1', 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3', '0b1b',
     'a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3', TIMESTAMP WITH TIME ZONE '2026-11-21 10:00:00+00',
     TIMESTAMP WITH TIME ZONE '2027-11-21 10:00:00+00', 'ec-p256', 'DEVICE', 'bundles/csr-1.tar', 'ef  bundles/csr-1.tar',
     'ISSUED', TIMESTAMP WITH TIME ZONE '2026-11-21 10:00:01+00', 'sensor', ';line-a;', '{"site":"Lyon"}', ';eu;');
INSERT INTO device_made_key (public_key_sha256, output_id, device_id) VALUES
    ('a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3', 'out-new', 'csr-1');
INSERT INTO bundle_archive (output_id, path, sha256, size_bytes, job_execution_id, created_at) VALUES
    ('out-new', 'bundles/csr-1.tar', 'efefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefef', 10240, 1,
     TIMESTAMP WITH TIME ZONE '2026-11-21 10:00:01+00');
INSERT INTO device_registration (output_id, device_id, target, status, certificate_arn, thing_arn, error_code,
    error_message, attempts, job_execution_id, updated_at) VALUES
    ('out-new', 'csr-1', 'eu', 'REGISTERED', 'arn:aws:iot:eu-west-1:111122223333:cert/c3', 'arn:aws:iot:eu-west-1:111122223333:thing/csr-1',
     NULL, NULL, 1, 2, TIMESTAMP WITH TIME ZONE '2026-11-21 11:00:00+00');
INSERT INTO device_reject (output_id, job_instance_id, row_index, source_line, device_id, reason, rejected_at,
    reason_code) VALUES
    ('out-new', 1, 1, 3, 'csr-2', 'the csr''s signature does not verify', TIMESTAMP WITH TIME ZONE '2026-11-21 10:00:01+00',
     'CSR_REFUSED');
INSERT INTO chunk_commit (job_execution_id, step_name, committed_at, issued, rejected, registered, failed,
    key_algorithms) VALUES (1, 'issue-worker:partition0', TIMESTAMP WITH TIME ZONE '2026-11-21 10:00:01+00', 1, 1, 0, 0,
    'ec-p256=1');
