package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.aws.EmulatorTargets;
import dev.keyline.aws.emulator.IotEmulator;
import dev.keyline.testing.ChildKeyline;
import dev.keyline.testing.CommandOutput;
import dev.keyline.testing.IndependentVerifier;

/**
 * Target mode bulk-task end to end: the real CLI and the real SDK (IoT and S3 clients) over HTTP against the
 * emulator, whose task reads the uploaded input file, registers each line as RegisterThing would and writes its
 * RESULTS and ERRORS reports, shuffled and split, as S3 objects.
 */
class BulkTaskRegistrationTest {

    @TempDir
    Path dir;

    /** Devices whose number ends in 07, 57 (2%): the emulator's task fails their lines. */
    private static boolean failing(String thingName) {
        return Integer.parseInt(thingName.substring(thingName.length() - 2)) % 50 == 7;
    }

    private static IotEmulator.Builder emulator(Duration taskDuration) {
        return EmulatorTargets.emulator().bucket(RegistrationScenario.BUCKET).taskDuration(taskDuration);
    }

    private static void failTwoPercent(IotEmulator emulator) {
        emulator.bulkLineFailure(line -> failing(line.path("ThingName").asString())
                ? Optional.of("Register thing workflow execution terminates due to: injected failure of "
                + line.path("ThingName").asString()) : Optional.empty());
    }

    @Test
    @Tag("full")
    void tenThousandDevicesInOneTaskWithTwoPercentFailingRecordExactlyThoseFailedAndTheRestWithTheirArns() throws Exception {
        int devices = 10_000;
        RegistrationScenario scenario = new RegistrationScenario(dir);
        try (IotEmulator emulator = emulator(Duration.ofSeconds(3)).start()) {
            failTwoPercent(emulator);
            Path targets = scenario.bulkTargets(emulator, 50_000, "fleet");
            Path out = dir.resolve("out");
            assertThat(Keyline.execute(scenario.run(scenario.manifest(devices), out).toArray(String[]::new))).isZero();

            long started = System.nanoTime();
            CommandOutput registered = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(),
                    "--no-progress");
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(registered.exitCode()).as(registered.err()).isZero();
            assertThat(emulator.registrationTasks()).as("one task for 10,000 lines").hasSize(1);
            assertThat(emulator.registrationTasks().get(0).lines()).isEqualTo(devices);
            assertEveryDeviceRecordedByItsLine(scenario, emulator, out, "fleet", devices);
            System.out.printf("bulk-task: %,d devices in %.1f s (emulated task duration 3 s); emulator requests: %s%n", devices,
                    seconds, requestCounts(emulator));
        }
    }

    @Test
    void devicesAreMappedByTheLineTheReportNamesAcrossConsecutiveTasksOfMaxLines() throws Exception {
        int devices = 120;
        RegistrationScenario scenario = new RegistrationScenario(dir);
        try (IotEmulator emulator = emulator(Duration.ofMillis(200)).start()) {
            failTwoPercent(emulator);
            Path targets = scenario.bulkTargets(emulator, 50, "fleet");
            Path out = dir.resolve("out");
            assertThat(Keyline.execute(scenario.run(scenario.manifest(devices), out).toArray(String[]::new))).isZero();

            CommandOutput plan = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(), "--plan");
            assertThat(plan.exitCode()).as(plan.err()).isZero();
            assertThat(plan.out()).contains("target fleet (bulk-task): 120 devices").contains("StartThingRegistrationTask: 3 calls")
                    .contains("task 1 of 3: 50 devices").contains("task 3 of 3: 20 devices");
            assertThat(emulator.requests().operations()).as("the plan calls nothing").isEmpty();

            CommandOutput registered = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(),
                    "--no-progress");
            assertThat(registered.exitCode()).as(registered.err()).isZero();
            List<IotEmulator.TaskRun> tasks = emulator.registrationTasks();
            assertThat(tasks).extracting(IotEmulator.TaskRun::lines).containsExactly(50, 50, 20);
            assertThat(tasks).allSatisfy(t -> assertThat(t.inputKey()).startsWith("nightly/fleet/keyline/"));
            assertEveryDeviceRecordedByItsLine(scenario, emulator, out, "fleet", devices);

            // Running it again sends only the FAILED devices, in one new task, and the injected failure still holds.
            emulator.bulkLineFailure(line -> Optional.empty());
            CommandOutput again = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(),
                    "--no-progress");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(emulator.registrationTasks()).hasSize(4);
            assertThat(emulator.registrationTasks().get(3).lines()).isEqualTo(failingCount(devices));
            assertThat(RegistrationScenario.registrations(out).values()).containsOnly("REGISTERED");
        }
    }

    @Test
    void aFailedTaskLeavesItsDevicesFailedWithAwsReasonAndTheNextRegisterSendsThemAgain() throws Exception {
        int devices = 30;
        RegistrationScenario scenario = new RegistrationScenario(dir);
        try (IotEmulator emulator = emulator(Duration.ofMillis(200)).start()) {
            emulator.failNextTask("Unable to assume role arn:aws:iam::111111111111:role/keyline-bulk");
            Path targets = scenario.bulkTargets(emulator, 50_000, "fleet");
            Path out = dir.resolve("out");
            assertThat(Keyline.execute(scenario.run(scenario.manifest(devices), out).toArray(String[]::new))).isZero();

            CommandOutput first = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(), "--no-progress");
            assertThat(first.exitCode()).as(first.err()).isZero();
            Map<String, String> ledger = RegistrationScenario.registrations(out);
            assertThat(ledger).hasSize(devices);
            assertThat(ledger.values()).allSatisfy(v -> assertThat(v).startsWith("FAILED RegistrationTaskFailed: bulk registration task ")
                    .contains("ended Failed: Unable to assume role"));
            assertThat(emulator.certificateCount(EmulatorTargets.ACCOUNT_A)).isZero();

            CommandOutput second = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(), "--no-progress");
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(emulator.registrationTasks()).hasSize(2);
            assertThat(RegistrationScenario.registrations(out).values()).containsOnly("REGISTERED");
            assertThat(emulator.certificateCount(EmulatorTargets.ACCOUNT_A)).isEqualTo(devices);
        }
    }

    @Test
    void aStartWhoseReplyIsLostIsFoundByItsInputFileAndFollowedNotStartedAgain() throws Exception {
        int devices = 25;
        RegistrationScenario scenario = new RegistrationScenario(dir);
        try (IotEmulator emulator = emulator(Duration.ofMillis(500)).start()) {
            Path targets = scenario.bulkTargets(emulator, 50_000, "fleet");
            Path out = dir.resolve("out");
            assertThat(Keyline.execute(scenario.run(scenario.manifest(devices), out).toArray(String[]::new))).isZero();
            emulator.loseNextReplies("StartThingRegistrationTask", 1, dev.keyline.aws.emulator.Faults.LostReply.CLOSE_CONNECTION);

            CommandOutput registered = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(),
                    "--no-progress");

            assertThat(registered.exitCode()).as(registered.err()).isZero();
            assertThat(emulator.lostReplies()).isEqualTo(1);
            assertThat(emulator.requests().total("StartThingRegistrationTask")).as("no second start").isEqualTo(1);
            assertThat(emulator.registrationTasks()).hasSize(1);
            assertThat(RegistrationScenario.registrations(out).values()).hasSize(devices).containsOnly("REGISTERED");
        }
    }

    @Test
    void twoTargetsInOneAccountRunTheirTasksOneAfterTheOther() throws Exception {
        int devices = 40;
        RegistrationScenario scenario = new RegistrationScenario(dir);
        try (IotEmulator emulator = emulator(Duration.ofMillis(700)).start()) {
            Path targets = scenario.bulkTargets(emulator, 25, "east", "west");
            Path out = dir.resolve("out");
            // Devices 0-19 go to east, 20-39 to west: each target's things are its own.
            Path manifest = scenario.manifest(devices, i -> "," + (i < 20 ? "east" : "west"));
            assertThat(Keyline.execute(scenario.run(manifest, out).toArray(String[]::new))).isZero();

            CommandOutput registered = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(),
                    "--no-progress");
            assertThat(registered.exitCode()).as(registered.err()).isZero();
            List<IotEmulator.TaskRun> tasks = emulator.registrationTasks();
            assertThat(tasks).hasSize(2).allSatisfy(t -> assertThat(t.accountId()).isEqualTo(EmulatorTargets.ACCOUNT_A));
            assertThat(tasks.get(1).startNanos()).as("the second task starts after the first ended")
                    .isGreaterThanOrEqualTo(tasks.get(0).endNanos());
            assertThat(tasks).extracting(IotEmulator.TaskRun::status).containsOnly("Completed");
            Map<String, String> ledger = RegistrationScenario.registrations(out);
            assertThat(ledger).hasSize(devices).containsEntry("reg-00000@east", "REGISTERED").containsEntry("reg-00039@west", "REGISTERED");
            assertThat(ledger.values()).containsOnly("REGISTERED");
        }
    }

    @Test
    @Tag("full")
    void aRegistrationKilledWhileItsTaskRunsResumesByPollingThatTaskNotByStartingAnother() throws Exception {
        int devices = 300;
        RegistrationScenario scenario = new RegistrationScenario(dir);
        try (IotEmulator emulator = emulator(Duration.ofSeconds(8)).start()) {
            failTwoPercent(emulator);
            Path targets = scenario.bulkTargets(emulator, 50_000, "fleet");
            Path out = dir.resolve("out");
            assertThat(Keyline.execute(scenario.run(scenario.manifest(devices), out).toArray(String[]::new))).isZero();

            List<String> jvm = new ArrayList<>();
            EmulatorTargets.credentials(dir).forEach(option -> jvm.add("-D" + option));
            ChildKeyline child = ChildKeyline.start(dir.resolve("child.log"), jvm, "register", "--out", out.toString(),
                    "--config", targets.toString(), "--no-progress");
            awaitTaskInProgress(emulator, child);
            child.process().destroyForcibly(); // SIGKILL while the task runs
            assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(emulator.registrationTasks()).hasSize(1);
            assertThat(emulator.registrationTasks().get(0).status()).as("killed while the task runs").isEqualTo("InProgress");

            CommandOutput resumed = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(),
                    "--no-progress");
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(resumed.err()).contains("resuming registration");
            assertThat(emulator.registrationTasks()).as("one task, not two").hasSize(1);
            assertThat(emulator.requests().total("StartThingRegistrationTask")).isEqualTo(1);
            assertEveryDeviceRecordedByItsLine(scenario, emulator, out, "fleet", devices);
        }
    }

    @Test
    @Tag("full")
    void aSignalToARunStopsTheWaitForItsTaskAtOnceAndTheRestartPollsTheSameTask() throws Exception {
        int devices = 20;
        RegistrationScenario scenario = new RegistrationScenario(dir);
        try (IotEmulator emulator = emulator(Duration.ofSeconds(60)).start()) {
            Path targets = scenario.bulkTargets(emulator, 50_000, "fleet");
            Path out = dir.resolve("out");
            List<String> jvm = new ArrayList<>();
            EmulatorTargets.credentials(dir).forEach(option -> jvm.add("-D" + option));
            ChildKeyline child = ChildKeyline.start(dir.resolve("child.log"), jvm, scenario.run(scenario.manifest(devices), out,
                    "--config", targets.toString(), "--target", "fleet").toArray(String[]::new));
            awaitTaskInProgress(emulator, child);
            long signalled = System.nanoTime();
            child.terminate();
            int exit = child.awaitExit(30);
            double seconds = (System.nanoTime() - signalled) / 1e9;
            assertThat(exit).as(child.output()).isEqualTo(1);
            assertThat(child.output()).contains("resume with: keyline restart --out " + out);
            assertThat(seconds).as("stopped long before the 60 s task ends").isLessThan(20);
            assertThat(emulator.registrationTasks()).hasSize(1);
            assertThat(emulator.registrationTasks().get(0).status()).isEqualTo("InProgress");

            CommandOutput restarted = CommandOutput.run("restart", "--out", out.toString(), "--passphrase-file",
                    scenario.passphrase.toString(), "--no-progress");
            assertThat(restarted.exitCode()).as(restarted.err()).isZero();
            assertThat(emulator.registrationTasks()).as("the same task, polled to its end").hasSize(1);
            assertThat(RegistrationScenario.registrations(out).values()).hasSize(devices).containsOnly("REGISTERED");
        }
    }

    private static void awaitTaskInProgress(IotEmulator emulator, ChildKeyline child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!child.process().isAlive()) {
                throw new AssertionError("the child registration ended before its task ran:\n" + child.output());
            }
            if (emulator.registrationTasks().stream().anyMatch(t -> t.status().equals("InProgress"))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the child started no task:\n" + child.output());
    }

    private static int failingCount(int devices) {
        int n = 0;
        for (int i = 0; i < devices; i++) {
            if (failing(String.format("reg-%05d", i))) {
                n++;
            }
        }
        return n;
    }

    /**
     * Exactly the devices whose lines failed are FAILED, with AWS's message naming that device; every other is
     * REGISTERED with its own certificate's ARN and its thing's; the emulator holds exactly the registered
     * certificates, and each chains to the run's CA (JDK PKIX and openssl).
     */
    private static void assertEveryDeviceRecordedByItsLine(RegistrationScenario scenario, IotEmulator emulator, Path out,
                                                           String target, int devices) throws Exception {
        List<CSVRecord> rows = RegistrationScenario.readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(devices);
        Map<String, String> ledger = RegistrationScenario.registrations(out);
        X509Certificate root = IndependentVerifier.readCertificate(scenario.ca.resolve("ca.crt.pem"));
        Path pems = Files.createDirectories(scenario.dir.resolve("registered-pems"));
        List<Path> forOpenSsl = new ArrayList<>();
        Set<String> failed = new TreeSet<>();
        for (CSVRecord row : rows) {
            String device = row.get("device_id");
            String certificateId = row.get("certificate_id");
            String status = ledger.get(device + "@" + target);
            if (failing(row.get("thing_name"))) {
                failed.add(device);
                assertThat(status).as(device).startsWith("FAILED ResourceRegistrationFailureException: ")
                        .contains("injected failure of " + row.get("thing_name") + " ");
                assertThat(row.get(target + "_certificate_arn")).isEmpty();
                assertThat(emulator.certificateStatus(EmulatorTargets.ACCOUNT_A, certificateId)).isEmpty();
                continue;
            }
            assertThat(status).as(device).isEqualTo("REGISTERED");
            assertThat(row.get(target + "_status")).isEqualTo("REGISTERED");
            assertThat(row.get(target + "_certificate_arn")).endsWith(":" + EmulatorTargets.ACCOUNT_A + ":cert/" + certificateId);
            assertThat(row.get(target + "_thing_arn")).endsWith(":thing/" + row.get("thing_name"));
            assertThat(emulator.thingPrincipals(EmulatorTargets.ACCOUNT_A, row.get("thing_name")))
                    .containsExactly(row.get(target + "_certificate_arn"));
            String pem = emulator.certificatePem(EmulatorTargets.ACCOUNT_A, certificateId).orElseThrow();
            Path file = Files.writeString(pems.resolve(device + ".pem"), pem);
            IndependentVerifier.validateWithJdk(IndependentVerifier.readCertificate(file), List.of(), root);
            if (forOpenSsl.size() < 200) {
                forOpenSsl.add(file);
            }
        }
        assertThat(failed).hasSize(failingCount(devices));
        assertThat(emulator.certificateCount(EmulatorTargets.ACCOUNT_A)).isEqualTo(devices - failed.size());
        IndependentVerifier.verifyWithOpenSsl(scenario.ca.resolve("ca.crt.pem"), null, forOpenSsl);
    }

    private static String requestCounts(IotEmulator emulator) {
        StringBuilder counts = new StringBuilder();
        new TreeSet<>(emulator.requests().operations()).forEach(op -> counts.append(counts.length() == 0 ? "" : ", ")
                .append(op).append(' ').append(emulator.requests().total(op)));
        return counts.toString();
    }
}
