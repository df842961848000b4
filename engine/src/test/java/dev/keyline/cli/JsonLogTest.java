package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.keyline.testing.CliCa;
import dev.keyline.testing.CommandOutput;
import dev.keyline.testing.HostileText;

/** --log-format json: the log file as JSON lines with run, step and device id, inert; text again without it. */
class JsonLogTest {

    @TempDir
    Path dir;

    @Test
    void aRunWritesItsLogAsJsonLinesNamingRunStepAndDevice() throws Exception {
        CliCa ca = CliCa.create(dir);
        Path out = dir.resolve("out");
        String hostile = "bad" + HostileText.ESC + "[31m";
        Path manifest = Files.writeString(dir.resolve("devices.csv"), "device_id,organization,country\n"
                + "dev-1,Acme,DE\ndev-2,Acme,XX\n\"" + hostile + "\",Acme,DE\ndev-4,Acme,DE\n");

        CommandOutput run = CommandOutput.run("run", manifest.toString(), "--ca", ca.folder().toString(), "--out",
                out.toString(), "--passphrase-file", ca.passphraseFile().toString(), "--no-progress", "--threads", "1",
                "--log-format", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String log = Files.readString(out.resolve(".keyline/keyline.log"));
        HostileText.assertInert("the JSON log", log);
        List<JsonNode> lines = log.lines().map(l -> JsonMapper.builder().build().readTree(l)).toList();
        assertThat(lines).isNotEmpty().allSatisfy(l -> {
            assertThat(l.path("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(l.path("level").asString()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(l.has("message")).isTrue();
        });
        JsonNode rejected = lines.stream().filter(l -> l.path("device_id").asString().equals("dev-2")).findFirst()
                .orElseThrow(() -> new AssertionError("no line names dev-2:\n" + log));
        assertThat(rejected.path("message").asString()).contains("rejected line 3 (INVALID_ROW)");
        assertThat(rejected.path("run").asLong()).isEqualTo(1);
        assertThat(rejected.path("execution").asLong()).isEqualTo(1);
        assertThat(rejected.path("step").asString()).startsWith("issue-worker:partition");
        assertThat(lines).anyMatch(l -> l.path("device_id").asString().equals("bad\\u001B[31m"));

        CommandOutput again = CommandOutput.run("report", "--out", out.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        String last = Files.readString(out.resolve(".keyline/keyline.log")).lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last).as("without --log-format json the next command writes text").doesNotStartWith("{");
    }
}
