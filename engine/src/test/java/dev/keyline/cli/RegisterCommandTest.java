package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.aws.EmulatorTargets;
import dev.keyline.aws.emulator.Faults;
import dev.keyline.aws.emulator.IotEmulator;
import dev.keyline.testing.CommandOutput;

/** Registration through the real CLI and the real SDK, against the IoT emulator over HTTP. */
class RegisterCommandTest {

    private static final int DEVICES = 60;

    @TempDir
    Path dir;
    RegistrationScenario scenario;

    @BeforeEach
    void setUp() throws Exception {
        scenario = new RegistrationScenario(dir);
    }

    @Test
    void runRegistersEveryDeviceWithTwoAccountsOneWithCaOneWithoutAndReRegisteringCallsNothing() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            EmulatorTargets.registerCaInAccountA(emulator, scenario.caPem());
            Path targets = scenario.twoTargets(emulator);
            Path out = dir.resolve("out");

            CommandOutput run = CommandOutput.run(scenario.run(scenario.manifest(DEVICES), out, "--config", targets.toString(),
                    "--target", "a", "--target", "b").toArray(String[]::new));

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("target a: " + DEVICES + " registered, 0 failed")
                    .contains("target b: " + DEVICES + " registered, 0 failed");
            Map<String, String> ledger = RegistrationScenario.registrations(out);
            assertThat(ledger).hasSize(2 * DEVICES);
            assertThat(ledger.values()).containsOnly("REGISTERED");
            assertThat(emulator.certificateCount(EmulatorTargets.ACCOUNT_A)).isEqualTo(DEVICES);
            assertThat(emulator.certificateCount(EmulatorTargets.ACCOUNT_B)).isEqualTo(DEVICES);
            assertThat(emulator.successfulRegistrations()).isEqualTo(2 * DEVICES);

            List<CSVRecord> manifest = RegistrationScenario.readCsv(out.resolve("manifest.csv"));
            assertThat(manifest).hasSize(DEVICES);
            for (CSVRecord row : manifest) {
                String id = row.get("certificate_id");
                assertThat(row.get("a_certificate_arn")).isEqualTo("arn:aws:iot:" + EmulatorTargets.REGION + ":"
                        + EmulatorTargets.ACCOUNT_A + ":cert/" + id);
                assertThat(row.get("a_thing_arn")).endsWith(":thing/" + row.get("thing_name"));
                assertThat(row.get("a_status")).isEqualTo("REGISTERED");
                assertThat(row.get("b_certificate_arn")).contains(EmulatorTargets.ACCOUNT_B).endsWith(":cert/" + id);
                assertThat(row.get("b_thing_arn")).isEmpty();
                assertThat(row.get("b_status")).isEqualTo("REGISTERED");
                assertThat(emulator.certificateCa(EmulatorTargets.ACCOUNT_A, id)).as("with-ca links the CA").isPresent();
                assertThat(emulator.certificateCa(EmulatorTargets.ACCOUNT_B, id)).as("without-ca does not").isEmpty();
                assertThat(emulator.thingPrincipals(EmulatorTargets.ACCOUNT_A, row.get("thing_name"))).containsExactly(row.get("a_certificate_arn"));
                assertThat(emulator.policiesOf(EmulatorTargets.ACCOUNT_A, row.get("a_certificate_arn"))).containsExactly(EmulatorTargets.POLICY);
            }
            assertThat(Files.readString(out.resolve("manifest.jsonl"))).contains("\"a_status\":\"REGISTERED\"");

            long requestsBefore = totalRequests(emulator);
            CommandOutput again = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(), "--no-progress");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("0 registered and 0 failed by this process");
            assertThat(totalRequests(emulator)).as("nothing left to register: no call at all").isEqualTo(requestsBefore);
            assertThat(emulator.successfulRegistrations()).isEqualTo(2 * DEVICES);
        }
    }

    @Test
    void aLostReplyEndsRegisteredOnceNotFailed() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = scenario.twoTargets(emulator);
            emulator.loseNextReplies("RegisterCertificateWithoutCA", 3, Faults.LostReply.CLOSE_CONNECTION);
            Path out = dir.resolve("out");

            CommandOutput run = CommandOutput.run(scenario.run(scenario.manifest(DEVICES), out, "--config", targets.toString(),
                    "--target", "b").toArray(String[]::new));

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(emulator.lostReplies()).isEqualTo(3);
            assertThat(RegistrationScenario.registrations(out).values()).hasSize(DEVICES).containsOnly("REGISTERED");
            assertThat(emulator.certificateCount(EmulatorTargets.ACCOUNT_B)).isEqualTo(DEVICES);
            assertThat(emulator.successfulRegistrations()).as("each certificate registered once").isEqualTo(DEVICES);
        }
    }

    @Test
    void aDeviceThatKeepsFailingEndsFailedWithAwsReasonWhileTheRestRegisterAndTheRunCompletes() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            EmulatorTargets.registerCaInAccountA(emulator, scenario.caPem());
            Path targets = scenario.twoTargets(emulator);
            Path out = dir.resolve("out");
            // Someone else's thing is named reg-00007 in account A, with other attributes: not overwritten, so that
            // device fails (a missing thing type no longer fails devices one by one: it stops the target up front).
            EmulatorTargets.createThingInAccountA(emulator, "reg-00007", Map.of("owner", "someone-else"));
            Path manifest = scenario.manifest(DEVICES);

            CommandOutput run = CommandOutput.run(scenario.run(manifest, out, "--config", targets.toString(), "--target", "a")
                    .toArray(String[]::new));

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("target a: " + (DEVICES - 1) + " registered, 1 failed")
                    .contains("1 failed with ThingConflict").contains("someone-else");
            Map<String, String> ledger = RegistrationScenario.registrations(out);
            assertThat(ledger.get("reg-00007@a")).startsWith("FAILED ThingConflict: thing reg-00007 already exists");
            assertThat(ledger.entrySet().stream().filter(e -> !e.getKey().equals("reg-00007@a")).map(Map.Entry::getValue))
                    .hasSize(DEVICES - 1).containsOnly("REGISTERED");
            CSVRecord failed = RegistrationScenario.readCsv(out.resolve("manifest.csv")).stream()
                    .filter(r -> r.get("device_id").equals("reg-00007")).findFirst().orElseThrow();
            assertThat(failed.get("a_status")).isEqualTo("FAILED");
        }
    }

    @Test
    void statusListsRegisterExecutionsWithWhatEachRegistered() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = scenario.twoTargets(emulator);
            Path out = dir.resolve("out");
            assertThat(Keyline.execute(scenario.run(scenario.manifest(DEVICES), out).toArray(String[]::new))).isZero();
            CommandOutput before = CommandOutput.run("status", "--out", out.toString());
            assertThat(before.out()).doesNotContain("Registrations");

            assertThat(CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(), "--target", "b",
                    "--no-progress").exitCode()).isZero();
            assertThat(CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(), "--target", "b",
                    "--no-progress").exitCode()).isZero();
            CommandOutput status = CommandOutput.run("status", "--out", out.toString());

            assertThat(status.exitCode()).as(status.err()).isZero();
            String[] lines = status.out().lines().toArray(String[]::new);
            int header = java.util.Arrays.asList(lines).indexOf(java.util.Arrays.stream(lines)
                    .filter(l -> l.startsWith("EXECUTION ") && l.contains("REGISTERED")).findFirst().orElseThrow());
            assertThat(lines[header - 1]).isEqualTo("Registrations (keyline register):");
            String[] second = lines[header + 1].split("\\s+");
            String[] first = lines[header + 2].split("\\s+");
            assertThat(Long.parseLong(second[0])).as("the newest first").isGreaterThan(Long.parseLong(first[0]));
            assertThat(second).as("it found nothing left to register").containsSubsequence("COMPLETED", "0", "0", "b");
            assertThat(first).containsSubsequence("COMPLETED", String.valueOf(DEVICES), "0", "b");
            assertThat(status.out()).doesNotContain("resume with");
        }
    }

    @Test
    void planPrintsCallsAndDurationOfWhatIsPendingAndCallsNothing() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = scenario.twoTargets(emulator);
            Path out = dir.resolve("out");
            assertThat(Keyline.execute(scenario.run(scenario.manifest(DEVICES), out).toArray(String[]::new))).isZero();

            CommandOutput plan = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(), "--plan");

            assertThat(plan.exitCode()).as(plan.err()).isZero();
            assertThat(plan.out()).contains("target a (with-ca): " + DEVICES + " devices")
                    .contains("RegisterCertificate: " + DEVICES + " calls").contains("CreateThing: " + DEVICES + " calls")
                    .contains("AttachPolicy: " + DEVICES + " calls")
                    .contains("target b (without-ca): " + DEVICES + " devices")
                    .contains("RegisterCertificateWithoutCA: " + DEVICES + " calls")
                    .contains("expected duration: 0.3s");
            assertThat(totalRequests(emulator)).isZero();
        }
    }

    @Test
    void configurationErrorsExitTwoNamingTheSettingBeforeAnyCall() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path manifest = scenario.manifest(5);
            String endpoint = "--keyline.targets.x.endpoint=" + emulator.endpoint();

            CommandOutput unknownMode = CommandOutput.run(scenario.run(manifest, dir.resolve("out1"), "--target", "x",
                    "--keyline.targets.x.region=eu-west-1", "--keyline.targets.x.mode=with-sni", endpoint).toArray(String[]::new));
            assertThat(unknownMode.exitCode()).isEqualTo(2);
            assertThat(unknownMode.err()).contains("keyline.targets.x.mode").contains("use with-ca, without-ca, template or bulk-task");

            CommandOutput noRegion = CommandOutput.run(scenario.run(manifest, dir.resolve("out2"), "--target", "x", endpoint)
                    .toArray(String[]::new));
            assertThat(noRegion.exitCode()).isEqualTo(2);
            assertThat(noRegion.err()).contains("keyline.targets.x.region is missing");

            CommandOutput unknownKey = CommandOutput.run(scenario.run(manifest, dir.resolve("out3"), "--target", "x",
                    "--keyline.targets.x.region=eu-west-1", "--keyline.targets.x.secret-key=abc").toArray(String[]::new));
            assertThat(unknownKey.exitCode()).isEqualTo(2);
            assertThat(unknownKey.err()).contains("unknown setting keyline.targets.x.secret-key");

            assertThat(dir.resolve("out1")).as("nothing was made").doesNotExist();
            assertThat(dir.resolve("out2")).doesNotExist();
            assertThat(totalRequests(emulator)).as("nothing was called").isZero();
        }
    }

    static long totalRequests(IotEmulator emulator) {
        return emulator.requests().operations().stream().mapToLong(o -> emulator.requests().total(o)).sum();
    }
}
