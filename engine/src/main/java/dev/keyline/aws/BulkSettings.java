package dev.keyline.aws;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@code bulk-task} target runs AWS IoT's bulk registration task (StartThingRegistrationTask): where the input
 * file goes in S3, the role AWS IoT assumes to read it and to register, and how the devices are cut into tasks.
 *
 * @param bucket         the S3 bucket of the input files ({@code bulk.bucket}); AWS IoT reads it with {@link #roleArn}
 * @param prefix         the key prefix under which Keyline writes ({@code bulk.prefix}), "" for the bucket's root
 * @param roleArn        the IAM role AWS IoT assumes to read the file and register the things ({@code bulk.role-arn})
 * @param maxLines       devices per task at most ({@code bulk.max-lines}); more run as consecutive tasks
 * @param pollInterval   between two DescribeThingRegistrationTask calls ({@code bulk.poll-seconds})
 * @param linesPerSecond what {@code register --plan} assumes a task processes ({@code bulk.lines-per-second}): AWS
 *                       publishes no throughput for a task, so this is an estimate to replace with a measured one
 */
public record BulkSettings(String bucket, String prefix, String roleArn, int maxLines, Duration pollInterval,
                           double linesPerSecond) {

    /**
     * 50,000 lines a task. AWS documents no maximum. The bound is Keyline's: an input line carries the device's
     * certificate PEM and its template parameters (1-2 KB), so 50,000 lines stay under 100 MB, the size up to
     * which S3 advises a single PutObject (no multipart upload to resume); and a task's results come back only
     * when it ends, so a task that fails or is cancelled holds back at most 50,000 devices.
     */
    public static final int DEFAULT_MAX_LINES = 50_000;
    /** AWS's default quota for the Describe call is not published either; one call per 5 s is far below any. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);
    /** UNCONFIRMED: no published rate; an assumption for the plan only, replaced by the rate a real task shows. */
    public static final double DEFAULT_LINES_PER_SECOND = 100;

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern ROLE = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

    public BulkSettings {
        Objects.requireNonNull(bucket, "bulk.bucket");
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("bulk.bucket \"" + bucket + "\" is not an S3 bucket name: 3-63 lower-case letters,"
                    + " digits, '.' and '-', starting and ending with a letter or digit");
        }
        Objects.requireNonNull(prefix, "bulk.prefix");
        if (prefix.startsWith("/") || prefix.length() > 512) {
            throw new IllegalArgumentException("bulk.prefix \"" + prefix + "\" cannot be used: no leading '/', at most 512 characters");
        }
        Objects.requireNonNull(roleArn, "bulk.role-arn");
        if (!ROLE.matcher(roleArn).matches()) {
            throw new IllegalArgumentException("bulk.role-arn \"" + roleArn + "\" is not an IAM role ARN: write it as "
                    + "arn:aws:iam::123456789012:role/NAME (the role AWS IoT assumes to read the input file and register)");
        }
        if (maxLines < 1) {
            throw new IllegalArgumentException("bulk.max-lines = " + maxLines + ": give the devices per task, at least 1 (default "
                    + DEFAULT_MAX_LINES + ")");
        }
        Objects.requireNonNull(pollInterval, "bulk.poll-seconds");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("bulk.poll-seconds must be above 0, e.g. 5");
        }
        if (!(linesPerSecond > 0) || Double.isInfinite(linesPerSecond)) {
            throw new IllegalArgumentException("bulk.lines-per-second = " + linesPerSecond + ": give a rate above 0, e.g. "
                    + DEFAULT_LINES_PER_SECOND);
        }
    }

    /** The account the role is in: AWS IoT assumes it in the target's own account. */
    public String roleAccount() {
        return roleArn.split(":")[4];
    }

    /** The S3 key of one task's input file: {@code <prefix>keyline/<output>/<target>/<batch>-<nonce>.jsonl}. */
    public String inputKey(String outputId, String target, long batch, String nonce) {
        String base = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        return base + "keyline/" + outputId + "/" + target + "/" + batch + "-" + nonce + ".jsonl";
    }
}
