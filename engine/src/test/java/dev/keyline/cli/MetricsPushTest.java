package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.aws.EmulatorTargets;
import dev.keyline.aws.emulator.IotEmulator;
import dev.keyline.testing.CommandOutput;
import dev.keyline.testing.LedgerSql;
import dev.keyline.testing.Pushgateway;

/**
 * --metrics-push against a real Pushgateway: the counters it holds after a run with rejects and registrations equal
 * the ledger's counts (and the IoT emulator's, for calls); a gateway that is down costs one warning, not the run.
 */
@Tag("full")
class MetricsPushTest {

    @TempDir
    Path dir;

    @Test
    void thePushedCountersEqualTheLedgersCounts() throws Exception {
        RegistrationScenario scenario = new RegistrationScenario(dir);
        try (IotEmulator emulator = EmulatorTargets.emulator().start();
             Pushgateway gateway = Pushgateway.start(dir)) {
            EmulatorTargets.registerCaInAccountA(emulator, scenario.caPem());
            Path targets = scenario.twoTargets(emulator);
            Path out = dir.resolve("out");
            // Someone else's thing is named reg-00007 in account A: that one registration fails (a missing thing type
            // would stop the target up front instead).
            // The fixture's CreateThing is the one call the run did not make (subtracted below).
            EmulatorTargets.createThingInAccountA(emulator, "reg-00007", Map.of("owner", "someone-else"));
            StringBuilder csv = new StringBuilder("device_id,organization,country,thing_type,accounts\n");
            for (int i = 0; i < 80; i++) {
                csv.append(String.format("reg-%05d,Acme,%s,,%n", i, i % 20 == 3 ? "USA" : "US"));
            }
            csv.append("reg-00001,Acme,US,,\n");
            Path manifest = Files.writeString(dir.resolve("manifest.csv"), csv);

            CommandOutput run = CommandOutput.run(scenario.run(manifest, out, "--config", targets.toString(), "--target", "a",
                    "--target", "b", "--chunk-size", "10", "--metrics-push", gateway.url().toString(),
                    "--metrics-push-interval", "1").toArray(String[]::new));

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).doesNotContain("cannot push metrics");
            String outputId = outputId(out);
            List<Pushgateway.Sample> samples = gateway.samples().stream()
                    .filter(s -> "provision".equals(s.labels().get("job")) && outputId.equals(s.labels().get("output_id")))
                    .toList();

            long issued = LedgerSql.number(out, "SELECT COUNT(*) FROM device_identity");
            assertThat(issued).isEqualTo(76);
            assertThat(value(samples, "keyline_devices_issued_total", Map.of())).isEqualTo(issued);
            Map<String, Long> rejected = LedgerSql.counts(out, "SELECT reason_code, COUNT(*) FROM device_reject GROUP BY reason_code");
            assertThat(rejected).containsEntry("INVALID_ROW", 4L).containsEntry("DUPLICATE_DEVICE", 1L);
            rejected.forEach((code, n) -> assertThat(value(samples, "keyline_devices_rejected_total", Map.of("reason", code)))
                    .as(code).isEqualTo(n));
            assertThat(value(samples, "keyline_devices_rejected_total", Map.of("reason", "CSR_REFUSED"))).isZero();
            assertThat(value(samples, "keyline_key_generation_seconds_count", Map.of())).isEqualTo(issued);
            assertThat(value(samples, "keyline_signing_seconds_count", Map.of())).isEqualTo(issued);
            assertThat(value(samples, "keyline_registrations_total", Map.of("outcome", "registered")))
                    .isEqualTo(LedgerSql.number(out, "SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'"))
                    .isEqualTo(2 * issued - 1);
            assertThat(value(samples, "keyline_registrations_total", Map.of("outcome", "failed"))).isEqualTo(1);
            for (String operation : List.of("RegisterCertificate", "CreateThing", "AttachThingPrincipal", "AttachPolicy")) {
                assertThat(value(samples, "keyline_registration_calls_total", Map.of("target", "a", "operation", operation)))
                        .as(operation).isEqualTo(emulator.requests().total(operation) - (operation.equals("CreateThing") ? 1 : 0));
            }
            assertThat(value(samples, "keyline_registration_calls_total",
                    Map.of("target", "b", "operation", "RegisterCertificateWithoutCA"))).isEqualTo(issued);
            assertThat(value(samples, "keyline_registration_limiter_wait_seconds_count",
                    Map.of("target", "b", "operation", "RegisterCertificateWithoutCA"))).isEqualTo(issued);
            assertThat(samples).as("Spring Batch's own observations").anyMatch(s -> s.name().startsWith("spring_batch_job"))
                    .anyMatch(s -> s.name().startsWith("spring_batch_step"));
        }
    }

    @Test
    void aGatewayThatIsDownIsOneWarningAndTheRunGoesOn() throws Exception {
        RegistrationScenario scenario = new RegistrationScenario(dir);
        Path out = dir.resolve("out");
        String down = "http://127.0.0.1:" + Pushgateway.freePort();

        CommandOutput run = CommandOutput.run(scenario.run(scenario.manifest(30), out, "--chunk-size", "5",
                "--metrics-push", down, "--metrics-push-interval", "1").toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err().lines().filter(l -> l.contains("cannot push metrics")).toList()).hasSize(1).first().asString()
                .startsWith("keyline: warning: cannot push metrics to " + down).contains("the run goes on");
        assertThat(LedgerSql.number(out, "SELECT COUNT(*) FROM device_identity")).isEqualTo(30);
    }

    /** A counter's value, which must be a whole number. */
    private static long value(List<Pushgateway.Sample> samples, String name, Map<String, String> labels) {
        double v = samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Pushgateway.Sample::value).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels + " among " + samples.stream()
                        .map(Pushgateway.Sample::name).distinct().sorted().toList()));
        assertThat(v).as("%s%s is a count", name, labels).isEqualTo(Math.rint(v));
        return (long) v;
    }

    private static String outputId(Path out) throws Exception {
        Properties p = new Properties();
        try (var in = Files.newInputStream(out.resolve(".keyline/output.properties"))) {
            p.load(in);
        }
        return p.getProperty("output-id");
    }
}
