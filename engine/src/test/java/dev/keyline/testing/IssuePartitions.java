package dev.keyline.testing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.batch.core.repository.dao.DefaultExecutionContextSerializer;

/**
 * The issue step's partitions as the job repository stored them: each partition's range of manifest rows
 * ({@code first}, {@code end}: {@code job/RangePartitioner}) and its reader's committed position ({@code position}:
 * {@code job/ManifestRangeReader}), from the newest execution of each partition. Spring Batch stores a step's
 * context serialized by its {@link DefaultExecutionContextSerializer} (Java serialization, Base64) in
 * {@code SHORT_CONTEXT}, or in {@code SERIALIZED_CONTEXT} when it is long.
 */
public final class IssuePartitions {

    /** Rows {@code [first, end)}; rows {@code [first, position)} are the committed chunks. */
    public record Partition(String name, long stepExecutionId, String status, long first, long end, long position) {
    }

    private IssuePartitions() {
    }

    /** Partition name → its newest execution's range and position; empty before the issue step began. */
    public static Map<String, Partition> read(Connection ledger) throws SQLException {
        Map<String, Partition> result = new TreeMap<>();
        String sql = "SELECT s.STEP_NAME, s.STEP_EXECUTION_ID, s.STATUS, c.SHORT_CONTEXT, c.SERIALIZED_CONTEXT"
                + " FROM BATCH_STEP_EXECUTION s JOIN BATCH_STEP_EXECUTION_CONTEXT c ON c.STEP_EXECUTION_ID = s.STEP_EXECUTION_ID"
                + " WHERE s.STEP_NAME LIKE 'issue-worker:%' ORDER BY s.STEP_EXECUTION_ID";
        try (ResultSet rs = ledger.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                String serialized = rs.getString(5) != null ? rs.getString(5) : rs.getString(4);
                Map<String, Object> context = deserialize(serialized);
                long first = ((Number) context.get("first")).longValue();
                long end = ((Number) context.get("end")).longValue();
                Object position = context.get("position");
                result.put(rs.getString(1), new Partition(rs.getString(1), rs.getLong(2), rs.getString(3), first, end,
                        position == null ? first : ((Number) position).longValue()));
            }
        }
        return result;
    }

    private static Map<String, Object> deserialize(String serialized) {
        try {
            return new DefaultExecutionContextSerializer()
                    .deserialize(new ByteArrayInputStream(serialized.getBytes(StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a step's execution context could not be read", e);
        }
    }
}
