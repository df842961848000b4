package dev.keyline.output.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.keyline.ledger.ChunkCommit;
import dev.keyline.ledger.RejectGroup;
import dev.keyline.ledger.Rejection;
import dev.keyline.testing.HostileText;

/** The page keeps untrusted text inert and inside its element: no markup, no control character, no script break-out. */
class ReportPageTest {

    private static final String BREAKOUT = "</script><script>alert(1)</script>";
    private static final String MARKUP = "<img src=x onerror=alert(2)>";

    @Test
    void untrustedTextIsEscapedAndInertEverywhereThePageShowsIt() {
        Instant start = Instant.parse("2026-12-06T01:00:00Z");
        String hostile = MARKUP + HostileText.ESC + "[31m" + HostileText.RLO + "txt.exe" + BREAKOUT + "\"'&";
        RunReport report = new RunReport("run", 7, 3, "FAILED", false, Optional.of(start),
                Optional.of(start.plusSeconds(5)), "/out/" + hostile, Optional.of("keyline run " + hostile),
                List.of(new RunReport.Fact("CA", hostile)), new RunReport.Counts(10, 1, 0, 10, 1, 0, 0),
                List.of(new ChunkCommit(7, "issue-worker:" + BREAKOUT, start.plusSeconds(1), 10, 1, 0, 0)), java.util.Map.of(),
                List.of(new RejectGroup("INVALID_ROW", 1, List.of(new Rejection("o", 3, 0, 2, hostile, hostile, start,
                        "INVALID_ROW")))),
                List.of(new RunReport.TargetReport(hostile, 0, 1, List.of(new RunReport.ErrorCount(hostile, 1, hostile)),
                        List.of(new RunReport.OperationCalls("CreateThing", 3, 1, 0, 12, 40, 40)))),
                Optional.of(new RunReport.Failure(hostile, "keyline restart --out /out/" + hostile)));

        String page = ReportPage.render(report);

        assertThat(page).doesNotContain(MARKUP).doesNotContain("<script>alert").doesNotContain("\"'&")
                .contains("&lt;img src=x onerror=alert(2)&gt;").contains("\\u001B[31m").contains("\\u202E");
        assertThat(page).doesNotContain(HostileText.ESC).doesNotContain(HostileText.RLO);
        // The library, the chart's data, the drawing script: nothing else opens a script element.
        assertThat(page.split("<script", -1)).hasSize(4);
        String data = page.substring(page.indexOf("id=\"chart-data\">"), page.indexOf("</script>", page.indexOf("id=\"chart-data\">")));
        assertThat(data).doesNotContain("<").contains("\\u003c/script\\u003e");
    }

    @Test
    void ratesAreDevicesPerSecondInBucketsSizedToTheRun() {
        Instant start = Instant.parse("2026-12-06T01:00:00Z");
        List<ChunkCommit> chunks = List.of(
                new ChunkCommit(1, "issue-worker:partition0", start.plusMillis(500), 500, 0, 0, 0),
                new ChunkCommit(1, "issue-worker:partition1", start.plusMillis(700), 400, 100, 0, 0),
                new ChunkCommit(1, "register", start.plusSeconds(30), 0, 0, 90, 10));

        ChunkRates rates = ChunkRates.of(start, chunks, java.util.Map.of("register", start.plusSeconds(25)));

        assertThat(rates.bucketSeconds()).as("30 s span: the smallest width under 150 buckets").isEqualTo(0.5);
        assertThat(rates.seconds()).hasSize(61);
        assertThat(rates.series().keySet()).containsExactly("all", "issue-worker:partition0", "issue-worker:partition1",
                "register");
        assertThat(rates.series().get("issue-worker:partition0")[0]).as("500 devices over the first 0.5 s").isEqualTo(1000);
        assertThat(rates.series().get("issue-worker:partition1")[0]).as("400 over 0.7 s: 0.5 s of it").isCloseTo(571.429,
                org.assertj.core.api.Assertions.within(0.001));
        assertThat(rates.series().get("register")[50]).as("90 pairs over the 5 s since the step started")
                .isEqualTo(18);
        double total = 0;
        for (double r : rates.series().get("all")) {
            total += r * rates.bucketSeconds();
        }
        assertThat(total).as("every device counted once").isCloseTo(990, org.assertj.core.api.Assertions.within(0.1));
        assertThat(ChunkRates.of(start, List.of()).seconds()).isEmpty();
    }
}
