-- Output manifest rows written per chunk (issue 18): the export merges them instead of reading every identity back.

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
