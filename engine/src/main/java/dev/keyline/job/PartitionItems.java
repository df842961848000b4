package dev.keyline.job;

import java.util.Objects;

import org.springframework.aop.scope.ScopedObject;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemWriter;

import dev.keyline.device.ManifestRecord;

/**
 * One partition's reader, processor and writer, taken from their step-scoped proxies on first use and then called
 * directly.
 *
 * <p>A step-scoped proxy looks its target up on every call: the bean factory, the step context's attributes, the
 * advice chain and a reflective call, for every row read and every row processed. Under C1, which the launcher uses
 * for runs of up to 300,000 devices, that was 4.9% of the workers' Java time (benchmarks/README). A worker step is
 * built for one partition ({@link IssueWorkerSteps#perExecution}), so the target found first stays the one for the
 * whole step. It is found on first use, not when the step is built: inside the step's execution, so that a failure to
 * make it (a kit that cannot be leased, a template the lint refuses) fails the partition's step as it did before,
 * with its reason. Like the step that calls them, not thread-safe: one partition runs on one thread.
 */
final class PartitionItems {

    private PartitionItems() {
    }

    static ItemStreamReader<ManifestRecord> reader(ManifestRangeReader bean) {
        Target<ManifestRangeReader> target = new Target<>(bean, ManifestRangeReader.class);
        return new ItemStreamReader<>() {
            @Override
            public void open(ExecutionContext context) throws ItemStreamException {
                target.get().open(context);
            }

            @Override
            public ManifestRecord read() {
                return target.get().read();
            }

            @Override
            public void update(ExecutionContext context) {
                target.get().update(context);
            }

            @Override
            public void close() {
                target.get().close();
            }
        };
    }

    static ItemProcessor<ManifestRecord, IssueOutcome> processor(IssueItemProcessor bean) {
        Target<IssueItemProcessor> target = new Target<>(bean, IssueItemProcessor.class);
        return record -> target.get().process(record);
    }

    static ItemWriter<IssueOutcome> writer(IssueItemWriter bean) {
        Target<IssueItemWriter> target = new Target<>(bean, IssueItemWriter.class);
        return (Chunk<? extends IssueOutcome> chunk) -> target.get().write(chunk);
    }

    /** The object behind a step-scoped proxy, looked up once; any other object is its own target. */
    private static final class Target<T> {

        private final T bean;
        private final Class<T> type;
        private T target;

        Target(T bean, Class<T> type) {
            this.bean = Objects.requireNonNull(bean, "bean");
            this.type = type;
        }

        T get() {
            T found = target;
            if (found == null) {
                found = bean instanceof ScopedObject scoped ? type.cast(scoped.getTargetObject()) : bean;
                target = found;
            }
            return found;
        }
    }
}
