package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.aws.EmulatorTargets;
import dev.keyline.aws.emulator.IotEmulator;
import dev.keyline.testing.CommandOutput;

/**
 * Not a test but a measurement (README, benchmarks/README): 10,000 devices registered with the same provisioning
 * template one device per call (mode template, RegisterThing at AWS's default 10/s) and through the bulk
 * registration task (mode bulk-task, an emulated task of 30 s), counting the emulator's requests and the wall time
 * of each {@code keyline register}. The per-call route takes about 17 minutes, so it runs only when asked:
 * {@code -Dkeyline.measure=true}.
 */
@EnabledIfSystemProperty(named = "keyline.measure", matches = "true")
class RegistrationRouteMeasurement {

    private static final int DEVICES = 10_000;
    private static final Duration TASK = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void perCallAtDefaultQuotasVersusBulkTask() throws Exception {
        RegistrationScenario scenario = new RegistrationScenario(dir);
        try (IotEmulator emulator = EmulatorTargets.emulator().bucket(RegistrationScenario.BUCKET).taskDuration(TASK).start()) {
            Path bulk = scenario.bulkTargets(emulator, 50_000, "bulk");
            Path targets = Files.writeString(dir.resolve("routes.yaml"), Files.readString(bulk) + """
                        percall:
                          region: %s
                          profile: %s
                          endpoint: %s
                          mode: template
                          template: provisioning-template.json
                    """.formatted(EmulatorTargets.REGION, EmulatorTargets.PROFILE_B, emulator.endpoint()));
            Path out = dir.resolve("out");
            assertThat(Keyline.execute(scenario.run(scenario.manifest(DEVICES), out).toArray(String[]::new))).isZero();

            String perCall = measure(emulator, out, targets, "percall");
            String bulkTask = measure(emulator, out, targets, "bulk");
            Map<String, String> ledger = RegistrationScenario.registrations(out);
            assertThat(ledger).hasSize(2 * DEVICES);
            assertThat(ledger.values()).containsOnly("REGISTERED");
            System.out.println("MEASURED " + DEVICES + " devices, same template:\n  per call (template, RegisterThing 10/s): "
                    + perCall + "\n  bulk-task (emulated task " + TASK.toSeconds() + " s): " + bulkTask);
        }
    }

    private static String measure(IotEmulator emulator, Path out, Path targets, String target) {
        Map<String, Long> before = counts(emulator);
        long started = System.nanoTime();
        CommandOutput result = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(),
                "--target", target, "--no-progress");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(result.exitCode()).as(result.err()).isZero();
        StringBuilder requests = new StringBuilder();
        counts(emulator).forEach((op, n) -> {
            long delta = n - before.getOrDefault(op, 0L);
            if (delta > 0) {
                requests.append(requests.length() == 0 ? "" : ", ").append(op).append(' ').append(delta);
            }
        });
        return String.format("%.1f s wall; requests: %s", seconds, requests);
    }

    private static Map<String, Long> counts(IotEmulator emulator) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        new TreeSet<>(emulator.requests().operations()).forEach(op -> counts.put(op, emulator.requests().total(op)));
        return counts;
    }
}
