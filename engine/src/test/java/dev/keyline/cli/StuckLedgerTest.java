package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StuckLedgerTest {

    @TempDir
    Path out;

    @Test
    void aStuckRunEndsWithTheFailedRunsMessageAndExit1() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<Integer> halted = new ArrayList<>();
        StuckLedger stuck = new StuckLedger(new PrintStream(printed, true, StandardCharsets.UTF_8), out,
                "keyline restart --out " + out, halted::add);

        stuck.end("the run (execution 3)", new SQLException("IO Exception", new IOException("No space left on device")));

        assertThat(halted).containsExactly(ExitCodes.FAILED);
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "keyline: the run (execution 3) failed: " + DiskFull.in(new IOException("No space left on device"), out)
                        .orElseThrow().describe() + "; its ledger stopped answering after the failed write, so keyline "
                        + "ends here",
                "  resume with: keyline restart --out " + out);
    }

    @Test
    void anyOtherWriteFailureIsNamedByItsCause() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new StuckLedger(new PrintStream(printed, true, StandardCharsets.UTF_8), out, "keyline register --out " + out,
                code -> { }).end("registration", new SQLException("IO Exception", new IOException("Input/output error")));
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("keyline: registration failed: ")
                .contains("Input/output error").contains("resume with: keyline register --out " + out);
    }
}
