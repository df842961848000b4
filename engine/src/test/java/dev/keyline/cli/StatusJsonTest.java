package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.keyline.testing.CommandOutput;

/** {@code keyline status --format json}: one document a scheduler can read, with the counts status prints. */
class StatusJsonTest {

    @TempDir
    Path dir;

    @Test
    void oneDocumentWithEveryExecutionItsStepsAndPartitions() throws Exception {
        Path pass = Files.writeString(dir.resolve("pass"), "status-json\n");
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Status CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", pass.toString())).isZero();
        StringBuilder csv = new StringBuilder("device_id,organization,country\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i == 7 ? "bad/id" : "dev-" + i).append(",Acme,US\n");
        }
        Path manifest = Files.writeString(dir.resolve("m.csv"), csv);
        Path out = dir.resolve("out");
        assertThat(Keyline.execute("run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(),
                "--passphrase-file", pass.toString(), "--threads", "2", "--chunk-size", "10", "--no-progress")).isZero();

        CommandOutput status = CommandOutput.run("status", "--out", out.toString(), "--format", "json");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).as("one document, nothing else on stdout").startsWith("{").endsWith("}\n");
        JsonNode doc = JsonMapper.builder().build().readTree(status.out());
        assertThat(doc.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(doc.get("output").asString()).isEqualTo(out.toAbsolutePath().normalize().toString());
        assertThat(doc.get("inUse").asBoolean()).isFalse();
        JsonNode execution = doc.get("executions").get(0);
        assertThat(doc.get("executions")).hasSize(1);
        assertThat(execution.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(execution.get("issued").asLong()).isEqualTo(39);
        assertThat(execution.get("rejected").asLong()).isEqualTo(1);
        assertThat(execution.get("restartable").asBoolean()).isFalse();
        assertThat(execution.get("restart").isNull()).isTrue();
        assertThat(execution.get("workers").asString()).isEqualTo("local");
        assertThat(execution.get("durationSeconds").asDouble()).isPositive();

        List<String> steps = new ArrayList<>();
        execution.get("steps").forEach(s -> steps.add(s.get("name").asString()));
        assertThat(steps).contains("scan", "issue", "issue-worker:partition000", "issue-worker:partition001", "export");
        JsonNode partitions = execution.get("partitions");
        assertThat(partitions).hasSize(2);
        long done = 0;
        long next = 0;
        for (JsonNode p : partitions) {
            assertThat(p.get("firstRow").asLong()).as("ranges are contiguous").isEqualTo(next);
            next = p.get("endRow").asLong();
            done += p.get("done").asLong();
            assertThat(p.get("status").asString()).isEqualTo("COMPLETED");
            assertThat(p.get("worker").isNull()).isTrue();
        }
        assertThat(next).isEqualTo(40);
        assertThat(done).isEqualTo(40);
        assertThat(doc.get("registerExecutions")).isEmpty();
        assertThat(doc.get("workers")).isEmpty();

        assertThat(CommandOutput.run("status", "--out", out.toString(), "--format", "xml").exitCode()).isEqualTo(2);
    }
}
