package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.aws.EmulatorTargets;
import dev.keyline.aws.emulator.IotEmulator;
import dev.keyline.testing.CommandOutput;

/**
 * Not a test but a measurement (README, benchmarks/README): the emulator's requests per device of {@code keyline
 * deregister}, without and with {@code --revoke}, for devices registered without-ca with a thing Keyline created and
 * a policy. No faults; once with the detach showing at once and once after 200 ms, which adds ListThingPrincipals
 * polls. Runs only when asked: {@code -Dkeyline.measure=true}.
 */
@EnabledIfSystemProperty(named = "keyline.measure", matches = "true")
class DeregistrationMeasurement {

    private static final int DEVICES = 2_000;
    private static final int PER_CASE = DEVICES / 4;

    @TempDir
    Path dir;

    @Test
    void requestsPerDeviceWithAndWithoutRevoke() throws Exception {
        RegistrationScenario scenario = new RegistrationScenario(dir);
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = scenario.deregistrationTarget(emulator, 500);
            Path out = dir.resolve("out");
            assertThat(Keyline.execute(scenario.run(scenario.manifest(DEVICES), out, "--config", targets.toString(), "--target", "d")
                    .toArray(String[]::new))).isZero();

            StringBuilder report = new StringBuilder("MEASURED keyline deregister, requests per device (" + PER_CASE
                    + " devices each):");
            int from = 0;
            for (Duration delay : new Duration[] {Duration.ZERO, Duration.ofMillis(200)}) {
                emulator.detachDelay(delay);
                for (boolean revoke : new boolean[] {false, true}) {
                    report.append("\n  ").append(revoke ? "--revoke" : "deregister").append(", detach shows after ")
                            .append(delay.toMillis()).append(" ms: ").append(measure(emulator, out, targets, scenario, from, revoke));
                    from += PER_CASE;
                }
            }
            assertThat(RegistrationScenario.registrations(out).values()).doesNotContain("REGISTERED", "DEREGISTERING", "REVOKING");
            System.out.println(report);
        }
    }

    private static String measure(IotEmulator emulator, Path out, Path targets, RegistrationScenario scenario, int from,
                                  boolean revoke) throws Exception {
        Path devices = Files.writeString(scenario.dir.resolve("devices-" + from + ".txt"), IntStream.range(from, from + PER_CASE)
                .mapToObj(i -> String.format("reg-%05d", i)).collect(Collectors.joining("\n")));
        Map<String, Long> before = counts(emulator);
        long started = System.nanoTime();
        CommandOutput result = revoke
                ? CommandOutput.run("deregister", "--out", out.toString(), "--config", targets.toString(), "--devices",
                        devices.toString(), "--revoke", "--no-progress")
                : CommandOutput.run("deregister", "--out", out.toString(), "--config", targets.toString(), "--devices",
                        devices.toString(), "--no-progress");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(result.exitCode()).as(result.err()).isZero();
        StringBuilder requests = new StringBuilder();
        long total = 0;
        for (Map.Entry<String, Long> e : counts(emulator).entrySet()) {
            long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (delta > 0) {
                requests.append(requests.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format("%.2f", (double) delta / PER_CASE));
                total += delta;
            }
        }
        return String.format("%.2f requests per device (%s); %.1f s wall at 500 calls/s per operation", (double) total / PER_CASE,
                requests, seconds);
    }

    private static Map<String, Long> counts(IotEmulator emulator) {
        Map<String, Long> counts = new TreeMap<>();
        new TreeSet<>(emulator.requests().operations()).forEach(op -> counts.put(op, emulator.requests().total(op)));
        return counts;
    }
}
