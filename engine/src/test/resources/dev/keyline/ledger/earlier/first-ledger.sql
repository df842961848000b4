-- The ledger as the first version that had one made it (commit 5bd139e, schema.sql as it was), then rows as that
-- version wrote them: no registration input, no reason codes, the unique index on certificate_id.
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
CREATE UNIQUE INDEX IF NOT EXISTS device_identity_certificate ON device_identity (certificate_id);
CREATE INDEX IF NOT EXISTS device_identity_instance ON device_identity (job_instance_id, row_index);

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

INSERT INTO device_identity (output_id, device_id, job_instance_id, job_execution_id, row_index, source_line,
    thing_name, certificate_id, serial_hex, public_key_sha256, not_before, not_after, key_algorithm, key_location,
    bundle_path, bundle_sums, status, issued_at) VALUES
    ('out-old', 'dev-1', 1, 1, 0, 2, 'dev-1', 'c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1', '0a1b',
     'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1', TIMESTAMP WITH TIME ZONE '2026-01-05 10:00:00+00',
     TIMESTAMP WITH TIME ZONE '2027-01-05 10:00:00+00', 'ec-p256', 'BUNDLE', 'dev-1', 'ab  dev-1/device.crt.pem', 'ISSUED',
     TIMESTAMP WITH TIME ZONE '2026-01-05 10:00:01+00'),
    ('out-old', 'dev-2', 1, 1, 1, 3, 'dev-2', 'c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2', '0a1c',
     'a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2', TIMESTAMP WITH TIME ZONE '2026-01-05 10:00:00+00',
     TIMESTAMP WITH TIME ZONE '2027-01-05 10:00:00+00', 'ec-p256', 'BUNDLE', 'dev-2', 'cd  dev-2/device.crt.pem', 'ISSUED',
     TIMESTAMP WITH TIME ZONE '2026-01-05 10:00:01+00');
INSERT INTO device_reject (output_id, job_instance_id, row_index, source_line, device_id, reason, rejected_at) VALUES
    ('out-old', 1, 2, 4, 'dev-3', 'country "XX" is not an ISO 3166 code', TIMESTAMP WITH TIME ZONE '2026-01-05 10:00:01+00');
