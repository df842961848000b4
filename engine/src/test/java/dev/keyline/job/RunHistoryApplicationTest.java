package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;

import dev.keyline.cli.Keyline;

/**
 * The context {@code keyline status} opens ({@link RunHistoryApplication}) reads an output exactly as the context that
 * runs the jobs does: the same executions, steps, partitions, registrations and ledger counts, which are the ledger's
 * own; and it has no job to start.
 */
class RunHistoryApplicationTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryExecutionAsTheJobsContextDoesAndStartsNoJob() throws Exception {
        Path pass = Files.writeString(dir.resolve("pass"), "history\n");
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=History CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", pass.toString())).isZero();
        Path out = dir.resolve("out");
        // Two runs in one output, one with a rejected row: the ledger's tables hold more than one run.
        run(ca, pass, out, manifest("first.csv", 0, 30, 4));
        run(ca, pass, out, manifest("second.csv", 100, 12, -1));
        OutputFolder folder;
        try (OutputFolder opened = OutputFolder.existing(out)) {
            folder = opened;
        }
        Database database = folder.database(Optional.empty());

        Snapshot full;
        try (Provisioning provisioning = Provisioning.open(database, folder.logFile(), 1)) {
            full = Snapshot.of(provisioning, out, folder.outputId());
        }
        try (Provisioning reading = Provisioning.openForReading(database.forReadingOnly(), folder.logFile())) {
            Snapshot read = Snapshot.of(reading, out, folder.outputId());

            assertThat(read).usingRecursiveComparison().isEqualTo(full);
            assertThat(read.executions()).hasSize(2);
            assertThat(read.executions()).extracting(ExecutionSummary::issued).containsExactly(12L, 29L);
            assertThat(read.executions()).extracting(ExecutionSummary::rejected).containsExactly(0L, 1L);
            assertThat(reading.ledger().identities().countIssued(folder.outputId())).isEqualTo(41);
            assertThat(reading.ledgerBehind()).isEmpty();
            assertThatThrownBy(() -> reading.register(null)).isInstanceOf(NoSuchBeanDefinitionException.class);
        }
    }

    /** What {@code keyline status} shows of an output, text and JSON. */
    private record Snapshot(List<ExecutionSummary> executions, List<List<StepSummary>> steps,
                            List<List<PartitionSummary>> partitions, List<RegistrationExecution> registrations,
                            List<RegistrationExecution> deregistrations) {

        static Snapshot of(Provisioning provisioning, Path out, String outputId) {
            List<ExecutionSummary> executions = provisioning.executions(out);
            return new Snapshot(executions,
                    executions.stream().map(e -> provisioning.steps(e.executionId())).toList(),
                    executions.stream().map(e -> provisioning.partitions(e.executionId())).toList(),
                    provisioning.registrationExecutions(out, outputId), provisioning.deregistrationExecutions(out, outputId));
        }
    }

    private Path manifest(String name, int first, int rows, int bad) throws Exception {
        StringBuilder csv = new StringBuilder("device_id,organization,country\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i == bad ? "bad/id" : "dev-" + (first + i)).append(",Acme,US\n");
        }
        return Files.writeString(dir.resolve(name), csv);
    }

    private static void run(Path ca, Path pass, Path out, Path manifest) {
        assertThat(Keyline.execute("run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(),
                "--passphrase-file", pass.toString(), "--threads", "2", "--chunk-size", "10", "--no-progress")).isZero();
    }
}
