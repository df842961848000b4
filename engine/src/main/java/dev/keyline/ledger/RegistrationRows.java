package dev.keyline.ledger;

import static dev.keyline.ledger.Columns.instant;
import static dev.keyline.ledger.Columns.truncate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The one mapping of {@code device_registration} to {@link RegistrationRecord}: one row per (device, target), the
 * outcome of its latest attempt. Read by position, as {@link IdentityRows} is, since the export reads it joined to
 * every identity.
 */
final class RegistrationRows {

    static final String TABLE = "device_registration";

    private static final int MAX_ERROR_CODE = 128;
    private static final int MAX_MESSAGE = 2000;

    /** Whose row it is. */
    static final Columns<RegistrationRecord> DEVICE = Columns.<RegistrationRecord>of()
            .text("output_id", RegistrationRecord::outputId)
            .text("device_id", RegistrationRecord::deviceId);

    /** The target, then how the attempt ended: what {@link #read} reads. */
    static final Columns<RegistrationRecord> OUTCOME = Columns.<RegistrationRecord>of()
            .text("target", RegistrationRecord::target)
            .text("status", r -> r.status().name())
            .text("certificate_arn", r -> r.certificateArn().orElse(null))
            .text("thing_arn", r -> r.thingArn().orElse(null))
            .text("error_code", r -> r.errorCode().map(c -> truncate(c, MAX_ERROR_CODE)).orElse(null))
            .text("error_message", r -> r.errorMessage().map(m -> truncate(m, MAX_MESSAGE)).orElse(null))
            .number("job_execution_id", RegistrationRecord::jobExecutionId)
            .time("updated_at", RegistrationRecord::updatedAt);

    private static final int TARGET = OUTCOME.at("target");
    private static final int STATUS = OUTCOME.at("status");
    private static final int CERTIFICATE_ARN = OUTCOME.at("certificate_arn");
    private static final int THING_ARN = OUTCOME.at("thing_arn");
    private static final int ERROR_CODE = OUTCOME.at("error_code");
    private static final int ERROR_MESSAGE = OUTCOME.at("error_message");
    private static final int JOB_EXECUTION_ID = OUTCOME.at("job_execution_id");
    private static final int UPDATED_AT = OUTCOME.at("updated_at");

    private RegistrationRows() {
    }

    /** The SELECT list {@link #read} reads, each name after {@code prefix}. */
    static String outcome(String prefix) {
        return OUTCOME.names(prefix);
    }

    static int outcomeSize() {
        return OUTCOME.size();
    }

    /**
     * The registration of a result set whose columns from {@code offset + 1} on are {@link #outcome}; empty when the
     * target is NULL (an identity without registrations, in a LEFT JOIN).
     */
    static Optional<RegistrationRecord> read(ResultSet rs, int offset, String outputId, String deviceId) throws SQLException {
        String target = rs.getString(offset + TARGET);
        if (target == null) {
            return Optional.empty();
        }
        return Optional.of(new RegistrationRecord(outputId, deviceId, target,
                RegistrationStatus.valueOf(rs.getString(offset + STATUS)),
                Optional.ofNullable(rs.getString(offset + CERTIFICATE_ARN)), Optional.ofNullable(rs.getString(offset + THING_ARN)),
                Optional.ofNullable(rs.getString(offset + ERROR_CODE)), Optional.ofNullable(rs.getString(offset + ERROR_MESSAGE)),
                rs.getLong(offset + JOB_EXECUTION_ID), instant(rs, offset + UPDATED_AT)));
    }
}
