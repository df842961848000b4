package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.keyline.aws.EmulatorTargets;
import dev.keyline.aws.emulator.IotEmulator;
import dev.keyline.testing.CommandOutput;
import dev.keyline.testing.HeadlessChromium;
import dev.keyline.testing.LedgerSql;

/**
 * report.html of a real run (rejects, registration with two targets through the real SDK against the IoT emulator)
 * opened in a real headless Chromium: it loads with no console error and no request but its own file, its figures
 * are the ledger's (and the emulator's, for the calls), and the chart is drawn.
 */
@Tag("full")
class ReportBrowserTest {

    private static final String HOSTILE_ID = "<img src=x onerror=alert(1)>";

    @TempDir
    Path dir;

    @Test
    void theReportOfARunWithRejectsAndRegistrationsLoadsOfflineShowsTheLedgersNumbersAndDrawsItsChart() throws Exception {
        RegistrationScenario scenario = new RegistrationScenario(dir);
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            EmulatorTargets.registerCaInAccountA(emulator, scenario.caPem());
            Path targets = scenario.twoTargets(emulator);
            Path out = dir.resolve("out");
            // Someone else's thing is named reg-00007 in account A: that registration fails with ThingConflict (a missing
            // thing type would stop the target up front instead).
            // The fixture's CreateThing is the one call the run did not make (subtracted below).
            EmulatorTargets.createThingInAccountA(emulator, "reg-00007", java.util.Map.of("owner", "someone-else"));
            StringBuilder csv = new StringBuilder("device_id,organization,country,thing_type,accounts\n");
            for (int i = 0; i < 120; i++) {
                csv.append(String.format("reg-%05d,Acme,US,,%n", i));
            }
            csv.append("reg-00003,Acme,US,,\n");             // a duplicate
            csv.append("reg-bad-country,Acme,USA,,\n");      // an invalid country
            csv.append("\"").append(HOSTILE_ID).append("\",Acme,US,,\n"); // markup as a device id
            Path manifest = Files.writeString(dir.resolve("manifest.csv"), csv);

            CommandOutput run = CommandOutput.run(scenario.run(manifest, out, "--config", targets.toString(), "--target", "a",
                    "--target", "b", "--chunk-size", "10").toArray(String[]::new));
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("run report:      " + out.toAbsolutePath().normalize().resolve("report.html"));
            Path report = out.resolve("report.html");
            assertThat(report).isRegularFile();

            Path browserDir = Files.createDirectories(dir.resolve("browser"));
            try (HeadlessChromium chromium = HeadlessChromium.start(browserDir.resolve("profile"), 1200, 900)) {
                chromium.open(report.toUri());

                assertThat(chromium.consoleErrors()).as("console").isEmpty();
                assertThat(chromium.requests()).as("requests: only the page itself").containsExactly(report.toUri().toString());
                assertThat(chromium.evaluate("document.querySelectorAll('img,iframe,object,embed').length").asInt())
                        .as("markup in a device id stays text").isZero();
                assertThat(chromium.evaluate("document.body.textContent").asString()).contains(HOSTILE_ID);

                // The figures, against the ledger.
                assertThat(figure(chromium, "status")).isEqualTo("COMPLETED");
                assertThat(number(chromium, "issued")).isEqualTo(LedgerSql.number(out, "SELECT COUNT(*) FROM device_identity"))
                        .isEqualTo(120);
                assertThat(number(chromium, "rejected")).isEqualTo(LedgerSql.number(out, "SELECT COUNT(*) FROM device_reject"))
                        .isEqualTo(3);
                Map<String, Long> codes = LedgerSql.counts(out,
                        "SELECT reason_code, COUNT(*) FROM device_reject GROUP BY reason_code");
                assertThat(codes).containsOnlyKeys("DUPLICATE_DEVICE", "INVALID_ROW");
                codes.forEach((code, n) -> assertThat(number(chromium, "reject-" + code)).as(code).isEqualTo(n));
                Map<String, Long> registered = LedgerSql.counts(out,
                        "SELECT target, COUNT(*) FROM device_registration WHERE status = 'REGISTERED' GROUP BY target");
                assertThat(registered).containsEntry("a", 119L).containsEntry("b", 120L);
                assertThat(number(chromium, "target-a-registered")).isEqualTo(119);
                assertThat(number(chromium, "target-a-failed")).isEqualTo(1);
                assertThat(number(chromium, "target-b-registered")).isEqualTo(120);
                assertThat(number(chromium, "registered-here")).isEqualTo(239);
                assertThat(chromium.evaluate("document.body.textContent").asString()).contains("ThingConflict");
                // AWS calls, against what the emulator counted (target a and b use different operations).
                for (String operation : List.of("RegisterCertificate", "CreateThing", "AttachThingPrincipal", "AttachPolicy")) {
                    assertThat(number(chromium, "target-a-" + operation + "-calls")).as(operation)
                            .isEqualTo(emulator.requests().total(operation) - (operation.equals("CreateThing") ? 1 : 0)).isPositive();
                }
                assertThat(number(chromium, "target-b-RegisterCertificateWithoutCA-calls"))
                        .isEqualTo(emulator.requests().total("RegisterCertificateWithoutCA")).isEqualTo(120);

                // The chart: its points, and the devices they add up to, against the chunk rows of the ledger.
                JsonNode chart = chromium.evaluate("(function(){var d=JSON.parse(document.getElementById('chart-data')"
                        + ".textContent);var all=d.series[0].y.reduce(function(a,b){return a+b},0)*d.bucketSeconds;"
                        + "return {points: Number(document.getElementById('chart').getAttribute('data-points')),"
                        + " expected: d.series.length*d.x.length, series: d.series.length, all: all};})()");
                assertThat(chart.get("points").asInt()).isPositive().isEqualTo(chart.get("expected").asInt());
                assertThat(chart.get("series").asInt()).as("all, two partitions, register").isEqualTo(4);
                long committed = LedgerSql.number(out, "SELECT SUM(issued) + SUM(registered) FROM chunk_commit");
                assertThat(committed).isEqualTo(120 + 239);
                assertThat(chart.get("all").asDouble()).isCloseTo(committed, within(0.5));
                int drawn = chromium.evaluate("(function(){var c=document.querySelector('#chart canvas');"
                        + "var d=c.getContext('2d').getImageData(0,0,c.width,c.height).data;var n=0;"
                        + "for(var i=3;i<d.length;i+=4){if(d[i]>0)n++;}return n;})()").asInt();
                assertThat(drawn).as("pixels the chart's canvas drew").isGreaterThan(1000);

                // The screenshot: non-blank pixels inside the chart's box.
                JsonNode box = chromium.evaluate("(function(){var r=document.getElementById('chart').getBoundingClientRect();"
                        + "return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height};})()");
                byte[] png = chromium.screenshot();
                Files.write(Path.of("target", "report-screenshot.png"), png);
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
                assertThat(nonWhite(image, box.get("x").asInt(), box.get("y").asInt(), box.get("w").asInt(),
                        box.get("h").asInt())).as("coloured pixels in the chart's box").isGreaterThan(2000);
            }

            // keyline register writes the page of its own execution: reg-00007 is tried again and fails again.
            CommandOutput register = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(),
                    "--no-progress");
            assertThat(register.exitCode()).as(register.err()).isZero();
            String page = Files.readString(report);
            assertThat(page).contains("Keyline: Registration ");
            assertThat(ReportCommandTest.number(page, "registered-here")).isZero();
            assertThat(ReportCommandTest.number(page, "register-failed-here")).isEqualTo(1);
            assertThat(ReportCommandTest.number(page, "target-a-registered")).isEqualTo(119);
            assertThat(ReportCommandTest.number(page, "target-a-CreateThing-calls")).isEqualTo(1);
        }
    }

    private static String figure(HeadlessChromium chromium, String key) {
        try {
            JsonNode text = chromium.evaluate("(function(){var e=document.querySelector('[data-k=\"" + key + "\"]');"
                    + "return e ? e.textContent : null;})()");
            assertThat(text.isNull()).as("an element data-k=%s", key).isFalse();
            return text.asString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long number(HeadlessChromium chromium, String key) {
        return Long.parseLong(figure(chromium, key).replace(",", ""));
    }

    private static int nonWhite(BufferedImage image, int x, int y, int w, int h) {
        int n = 0;
        for (int i = Math.max(0, x); i < Math.min(image.getWidth(), x + w); i++) {
            for (int j = Math.max(0, y); j < Math.min(image.getHeight(), y + h); j++) {
                int rgb = image.getRGB(i, j) & 0xFFFFFF;
                if (rgb != 0xFFFFFF) {
                    n++;
                }
            }
        }
        return n;
    }
}
