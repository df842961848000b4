package dev.keyline.output.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.keyline.ledger.ChunkCommit;
import dev.keyline.ledger.RejectGroup;

/**
 * What {@code report.html} shows of one execution, gathered from the JobRepository and the ledger (job layer's
 * {@code RunReports}); plain values, so the page can be rendered and tested without a database.
 *
 * @param kind         {@code run} (the provision job) or {@code register}
 * @param command      the command line that started the execution, when it was recorded
 * @param facts        the run's settings, label and value, in the order shown (CA, profile, key, provider, threads...)
 * @param counts       issued, rejected and failed rows; registrations
 * @param chunks       the execution's committed chunks, for the chart
 * @param stepStarts   when each of its steps (partitions) started, for the chart
 * @param rejects      the run's rejections by reason code
 * @param registration per target: outcomes and calls; empty when nothing registers
 * @param failure      why the execution did not complete, with the command that resumes it
 */
public record RunReport(String kind, long executionId, long instanceId, String status, boolean completed,
                        Optional<Instant> started, Optional<Instant> ended, String outputFolder,
                        Optional<String> command, List<Fact> facts, Counts counts, List<ChunkCommit> chunks,
                        Map<String, Instant> stepStarts, List<RejectGroup> rejects, List<TargetReport> registration, Optional<Failure> failure) {

    public RunReport {
        facts = List.copyOf(facts);
        chunks = List.copyOf(chunks);
        stepStarts = Map.copyOf(stepStarts);
        rejects = List.copyOf(rejects);
        registration = List.copyOf(registration);
    }

    /** How long the execution ran: to its end, or to its last committed chunk when it has no end. */
    public Optional<Duration> duration() {
        Optional<Instant> end = ended.or(() -> chunks.stream().map(ChunkCommit::committedAt).max(Instant::compareTo));
        return started.flatMap(s -> end.map(e -> Duration.between(s, e)));
    }

    public record Fact(String label, String value) {
    }

    /**
     * @param issued           identities the run (job instance) holds in the ledger, over all its executions
     * @param rejected         rows the run rejected
     * @param failed           rows this execution read whose chunk rolled back
     * @param issuedHere       identities this execution committed
     * @param registeredHere   (device, target) pairs this execution registered; {@code registerFailedHere} failed
     */
    public record Counts(long issued, long rejected, long failed, long issuedHere, long rejectedHere,
                         long registeredHere, long registerFailedHere) {
    }

    /**
     * One registration target.
     *
     * @param registered devices of the output registered with it now (the ledger's state, over every execution)
     * @param errors     failed devices by AWS error code, most first
     * @param calls      this execution's calls by operation
     */
    public record TargetReport(String target, long registered, long failed, List<ErrorCount> errors,
                               List<OperationCalls> calls) {

        public TargetReport {
            errors = List.copyOf(errors);
            calls = List.copyOf(calls);
        }
    }

    public record ErrorCount(String code, long devices, String exampleMessage) {
    }

    /** Latencies in milliseconds, NaN when no call was timed. */
    public record OperationCalls(String operation, long calls, long throttles, long faults, double p50, double p95,
                                 double p99) {
    }

    /** @param resume the command that resumes the run */
    public record Failure(String message, String resume) {
    }
}
