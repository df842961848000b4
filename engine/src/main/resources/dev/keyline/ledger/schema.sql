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
CREATE INDEX IF NOT EXISTS device_identity_public_key ON device_identity (public_key_sha256);

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
