package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.aws.EmulatorTargets;
import dev.keyline.aws.emulator.Faults;
import dev.keyline.aws.emulator.IotEmulator;
import dev.keyline.testing.ChildKeyline;
import dev.keyline.testing.CommandOutput;

/**
 * keyline deregister of 1,000 devices through the real CLI and SDK against the emulator, with throttling, faults and a
 * detach that takes a while to show: once whole, once killed (SIGKILL, a child JVM) part-way and resumed. Beside
 * Keyline's devices the account holds someone else's thing and certificate, which must come through untouched.
 */
@Tag("full")
class DeregistrationAtScaleTest {

    private static final int DEVICES = 1_000;
    private static final String FOREIGN = "someone-elses-thing";

    @TempDir
    Path dir;

    @Test
    void aThousandDevicesUnderThrottlingWithADelayedDetachLoseEveryThingOfKeylinesOnceAndNothingElse() throws Exception {
        RegistrationScenario scenario = new RegistrationScenario(dir);
        try (IotEmulator emulator = EmulatorTargets.emulator().seed(5).start()) {
            Path targets = scenario.deregistrationTarget(emulator, 400);
            Path out = registered(scenario, emulator, targets);
            String foreignCertificate = EmulatorTargets.createForeignDeviceInAccountA(emulator, FOREIGN);
            long before = requests(emulator);

            CommandOutput plan = CommandOutput.run("deregister", "--out", out.toString(), "--config", targets.toString(), "--plan");

            assertThat(plan.exitCode()).as(plan.err()).isZero();
            assertThat(plan.out()).contains("target d: 1,000 devices to deregister")
                    .contains("things: 1,000 detached; 1,000 deleted (created by Keyline), 0 left")
                    .contains("DeleteCertificate: 1,000 calls");
            assertThat(requests(emulator)).as("a plan calls nothing").isEqualTo(before);

            emulator.faults(new Faults(0.10, 0.02, 0, Faults.LostReply.INTERNAL_FAILURE));
            emulator.detachDelay(Duration.ofMillis(150));
            CommandOutput deregister = CommandOutput.run("deregister", "--out", out.toString(), "--config", targets.toString(),
                    "--reason", "batch registered in error", "--no-progress");

            assertThat(deregister.exitCode()).as(deregister.err()).isZero();
            assertThat(deregister.out()).contains("target d: 1,000 deregistered, 0 revoked, 0 still in flight; things: 1,000 "
                    + "deleted, 0 kept");
            assertEverythingOfKeylinesGoneOnce(emulator, out);
            assertForeignDeviceUntouched(emulator, foreignCertificate);
            System.out.printf("deregister at scale: %,d devices, throttled and delayed; requests %s%n", DEVICES,
                    perOperation(emulator));
        }
    }

    @Test
    void aDeregistrationKilledPartWayResumesAndEndsWithEachThingDeletedOnce() throws Exception {
        RegistrationScenario scenario = new RegistrationScenario(dir);
        try (IotEmulator emulator = EmulatorTargets.emulator().seed(6).start()) {
            Path targets = scenario.deregistrationTarget(emulator, 150);
            Path out = registered(scenario, emulator, targets);
            String foreignCertificate = EmulatorTargets.createForeignDeviceInAccountA(emulator, FOREIGN);
            emulator.faults(new Faults(0.05, 0.01, 0, Faults.LostReply.INTERNAL_FAILURE));
            emulator.detachDelay(Duration.ofMillis(100));

            List<String> jvm = new ArrayList<>();
            EmulatorTargets.credentials(dir).forEach(option -> jvm.add("-D" + option));
            ChildKeyline child = ChildKeyline.start(dir.resolve("child.log"), jvm, "deregister", "--out", out.toString(),
                    "--config", targets.toString(), "--no-progress");
            awaitThingsDeleted(emulator, DEVICES / 3, child);
            child.kill(); // SIGKILL mid-deregistration
            assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            int beforeResume = emulator.thingDeletions(EmulatorTargets.ACCOUNT_A).size();
            assertThat(beforeResume).as("killed part-way").isBetween(DEVICES / 3, DEVICES - 1);

            CommandOutput resumed = CommandOutput.run("deregister", "--out", out.toString(), "--config", targets.toString(),
                    "--no-progress");

            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(resumed.err()).contains("resuming deregistration");
            assertEverythingOfKeylinesGoneOnce(emulator, out);
            assertForeignDeviceUntouched(emulator, foreignCertificate);
            CommandOutput status = CommandOutput.run("status", "--out", out.toString());
            assertThat(status.out()).contains("Deregistrations (keyline deregister)").contains("FAILED").contains("COMPLETED");
        }
    }

    private static Path registered(RegistrationScenario scenario, IotEmulator emulator, Path targets) throws Exception {
        Path out = scenario.dir.resolve("out");
        CommandOutput run = CommandOutput.run(scenario.run(scenario.manifest(DEVICES), out, "--config", targets.toString(),
                "--target", "d").toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(RegistrationScenario.registrations(out).values()).hasSize(DEVICES).containsOnly("REGISTERED");
        return out;
    }

    private static void assertEverythingOfKeylinesGoneOnce(IotEmulator emulator, Path out) throws Exception {
        Map<String, String> ledger = RegistrationScenario.registrations(out);
        assertThat(ledger).hasSize(DEVICES);
        assertThat(ledger.values()).containsOnly("DEREGISTERED");
        Map<String, Integer> deletions = emulator.thingDeletions(EmulatorTargets.ACCOUNT_A);
        assertThat(deletions).hasSize(DEVICES).doesNotContainKey(FOREIGN);
        assertThat(deletions.values()).as("each thing deleted once").containsOnly(1);
        for (CSVRecord row : RegistrationScenario.readCsv(out.resolve("manifest.csv"))) {
            assertThat(row.get("d_status")).isEqualTo("DEREGISTERED");
            assertThat(emulator.certificateStatus(EmulatorTargets.ACCOUNT_A, row.get("certificate_id"))).isEmpty();
            assertThat(deletions).containsEntry(row.get("thing_name"), 1);
        }
        assertThat(emulator.certificateCount(EmulatorTargets.ACCOUNT_A)).as("only the foreign certificate is left").isEqualTo(1);
    }

    private static void assertForeignDeviceUntouched(IotEmulator emulator, String certificateArn) {
        String id = certificateArn.substring(certificateArn.lastIndexOf('/') + 1);
        assertThat(emulator.hasThing(EmulatorTargets.ACCOUNT_A, FOREIGN)).isTrue();
        assertThat(emulator.thingPrincipals(EmulatorTargets.ACCOUNT_A, FOREIGN)).containsExactly(certificateArn);
        assertThat(emulator.certificateStatus(EmulatorTargets.ACCOUNT_A, id)).contains("ACTIVE");
        assertThat(emulator.policiesOf(EmulatorTargets.ACCOUNT_A, certificateArn)).containsExactly(EmulatorTargets.POLICY);
    }

    private static void awaitThingsDeleted(IotEmulator emulator, int atLeast, ChildKeyline child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!child.alive()) {
                throw new AssertionError("the child deregistration ended before it could be killed:\n" + child.output());
            }
            if (emulator.thingDeletions(EmulatorTargets.ACCOUNT_A).size() >= atLeast) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the child deleted fewer than " + atLeast + " things in 180 s:\n" + child.output());
    }

    private static long requests(IotEmulator emulator) {
        return emulator.requests().operations().stream().mapToLong(o -> emulator.requests().total(o)).sum();
    }

    private static String perOperation(IotEmulator emulator) {
        StringBuilder s = new StringBuilder();
        for (String op : new java.util.TreeSet<>(emulator.requests().operations())) {
            s.append(op).append('=').append(emulator.requests().total(op)).append(' ');
        }
        return s.toString().strip();
    }
}
