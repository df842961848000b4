package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.CliCa;
import dev.keyline.testing.CommandOutput;

/**
 * The text log file, configured without XML ({@code KeylineLoggingSystem}), has the lines the Joran configuration it
 * replaced wrote (kept as {@code keyline-logback-joran.xml}) for the same command: Boot's pattern, inert messages and
 * exception messages, stack traces without jar names, nothing on the console. Times, process ids, durations, line
 * numbers and output ids differ from one command to the next, so digits are compared as digits, durations as
 * durations and ids as ids.
 */
class TextLogFileTest {

    private static final String ESC = "\u001B";

    @TempDir
    Path dir;

    @Test
    void theSameLinesAsTheXmlConfigurationWrote() throws IOException {
        CliCa ca = CliCa.create(dir);
        // A rejected row quoting an escape sequence, then a run stopped by the skip limit: a stack trace with an
        // exception message that quotes no manifest value, and messages that do.
        Path manifest = Files.writeString(dir.resolve("m.csv"),
                "device_id,organization,country\ndev-1,Acme,US\nbad/" + ESC + "[31mid,Acme,US\ndev-3,Acme,US\n");

        CommandOutput programmatic = run(ca, manifest, dir.resolve("programmatic"));
        String joranConfig = "classpath:dev/keyline/job/keyline-logback-joran.xml";
        System.setProperty("logging.config", joranConfig);
        CommandOutput joran;
        try {
            joran = run(ca, manifest, dir.resolve("joran"));
        } finally {
            System.clearProperty("logging.config");
        }

        List<String> expected = lines(dir.resolve("joran"));
        List<String> actual = lines(dir.resolve("programmatic"));
        assertThat(expected).as("the XML configuration wrote a stack trace").anyMatch(l -> l.startsWith("\tat "))
                .anyMatch(l -> l.contains("bad/\\u0B[0mid"));
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(actual).noneMatch(l -> l.contains(ESC)).noneMatch(l -> l.matches("\tat .*\\[.*\\]$"));
        assertThat(masked(programmatic.err(), "programmatic")).isEqualTo(masked(joran.err(), "joran"));
        assertThat(masked(programmatic.out(), "programmatic")).isEqualTo(masked(joran.out(), "joran"));
    }

    private static CommandOutput run(CliCa ca, Path manifest, Path out) {
        CommandOutput result = CommandOutput.run("run", manifest.toString(), "--ca", ca.folder().toString(), "--out",
                out.toString(), "--passphrase-file", ca.passphraseFile().toString(), "--no-progress", "--threads", "1",
                "--skip-limit", "0");
        assertThat(result.exitCode()).isNotZero();
        return result;
    }

    private static String masked(String console, String out) {
        return console.replace("/" + out, "/OUT").replaceAll(OUTPUT_ID, "OUTPUT_ID").replaceAll("[0-9]+", "0");
    }

    /** An output's id: a random UUID. */
    private static final String OUTPUT_ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    /** A duration as Spring Batch writes it: 830ms, 1s62ms. */
    private static final String DURATION = "\\b([0-9]+(ms|s|m|h))+\\b";

    /** The log's lines with every run of digits as one digit; the output folder's path and id as one word each. */
    private static List<String> lines(Path out) throws IOException {
        return Files.readAllLines(out.resolve(".keyline/keyline.log"), StandardCharsets.UTF_8).stream()
                .map(l -> l.replace(out.toString(), "OUT").replaceAll(OUTPUT_ID, "OUTPUT_ID")
                        .replaceAll(DURATION, "DURATION").replaceAll("[0-9]+", "0"))
                .toList();
    }
}
