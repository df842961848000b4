package dev.keyline.job;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Splits the manifest's rows into contiguous ranges, one per partition. The ranges are stored in the partition
 * step executions, so a restart keeps them even if {@code --threads} changed.
 */
public final class RangePartitioner implements Partitioner {

    public static final String FIRST = "first";
    public static final String END = "end";

    private final long rows;

    public RangePartitioner(long rows) {
        this.rows = rows;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        int partitions = (int) Math.max(1, Math.min(gridSize, rows));
        Map<String, ExecutionContext> result = new LinkedHashMap<>();
        for (int i = 0; i < partitions; i++) {
            ExecutionContext context = new ExecutionContext();
            context.putLong(FIRST, rows * i / partitions);
            context.putLong(END, rows * (i + 1) / partitions);
            result.put(String.format("partition%03d", i), context);
        }
        return result;
    }
}
