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
