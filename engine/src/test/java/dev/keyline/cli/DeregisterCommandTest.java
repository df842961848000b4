package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.aws.EmulatorTargets;
import dev.keyline.aws.emulator.IotEmulator;
import dev.keyline.testing.CommandOutput;

/** keyline deregister through the real CLI and the real SDK, against the IoT emulator over HTTP. */
class DeregisterCommandTest {

    private static final int DEVICES = 30;

    @TempDir
    Path dir;
    RegistrationScenario scenario;

    @BeforeEach
    void setUp() throws Exception {
        scenario = new RegistrationScenario(dir);
    }

    /** Issues and registers {@link #DEVICES} devices with target d; reg-00007's thing name is taken, so it FAILS. */
    private Path registered(IotEmulator emulator, Path targets) throws Exception {
        EmulatorTargets.createThingInAccountA(emulator, "reg-00007", Map.of("owner", "someone-else"));
        Path out = dir.resolve("out");
        CommandOutput run = CommandOutput.run(scenario.run(scenario.manifest(DEVICES), out, "--config", targets.toString(),
                "--target", "d").toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(RegistrationScenario.registrations(out).get("reg-00007@d")).startsWith("FAILED");
        return out;
    }

    private static long requests(IotEmulator emulator) {
        return emulator.requests().operations().stream().mapToLong(o -> emulator.requests().total(o)).sum();
    }

    @Test
    void revokingOneDeviceLeavesItRevokedInAwsAndTheLedgerWithItsCertificateKeptAndTheManifestSaysSo() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = scenario.deregistrationTarget(emulator, 500);
            Path out = registered(emulator, targets);
            CSVRecord before = row(out, "reg-00003");
            String certificateArn = before.get("d_certificate_arn");
            String certificateId = before.get("certificate_id");

            CommandOutput revoke = CommandOutput.run("deregister", "--out", out.toString(), "--config", targets.toString(),
                    "--device", "reg-00003", "--revoke", "--reason", "failed end-of-line test", "--no-progress");

            assertThat(revoke.exitCode()).as(revoke.err()).isZero();
            assertThat(revoke.out()).contains("target d: 0 deregistered, 1 revoked, 0 still in flight; things: 1 deleted, 0 kept");
            assertThat(emulator.certificateStatus(EmulatorTargets.ACCOUNT_A, certificateId)).contains("REVOKED");
            assertThat(emulator.policiesOf(EmulatorTargets.ACCOUNT_A, certificateArn)).isEmpty();
            assertThat(emulator.hasThing(EmulatorTargets.ACCOUNT_A, "reg-00003")).isFalse();
            assertThat(emulator.requests().total("DeleteCertificate")).isZero();
            Map<String, String> ledger = RegistrationScenario.registrations(out);
            assertThat(ledger).containsEntry("reg-00003@d", "REVOKED").containsEntry("reg-00004@d", "REGISTERED");
            assertThat(RegistrationScenario.withdrawalReasons(out)).containsExactly(Map.entry("reg-00003@d", "failed end-of-line test"));
            CSVRecord after = row(out, "reg-00003");
            assertThat(after.get("d_status")).isEqualTo("REVOKED");
            assertThat(after.get("d_certificate_arn")).isEqualTo(certificateArn);
            assertThat(row(out, "reg-00004").get("d_status")).isEqualTo("REGISTERED");
            assertThat(emulator.certificateStatus(EmulatorTargets.ACCOUNT_A, row(out, "reg-00004").get("certificate_id")))
                    .contains("ACTIVE");
        }
    }

    @Test
    void registerLeavesDeregisteredDevicesAloneUnlessAskedAndStatusListsTheDeregistration() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = scenario.deregistrationTarget(emulator, 500);
            Path out = registered(emulator, targets);

            CommandOutput deregister = CommandOutput.run("deregister", "--out", out.toString(), "--config", targets.toString(),
                    "--device", "reg-00001", "--device", "reg-00002", "--no-progress");
            assertThat(deregister.exitCode()).as(deregister.err()).isZero();
            assertThat(RegistrationScenario.registrations(out)).containsEntry("reg-00001@d", "DEREGISTERED")
                    .containsEntry("reg-00002@d", "DEREGISTERED");
            long registrations = emulator.successfulRegistrations();
            CommandOutput status = CommandOutput.run("status", "--out", out.toString());
            assertThat(status.out()).contains("Deregistrations (keyline deregister)").contains("TAKEN BACK");
            CommandOutput json = CommandOutput.run("status", "--out", out.toString(), "--format", "json");
            assertThat(json.out()).contains("\"deregisterExecutions\"").contains("\"takenBack\":2");

            CommandOutput register = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(),
                    "--no-progress");
            assertThat(register.exitCode()).as(register.err()).isZero();
            assertThat(register.out()).contains("2 deregistered or revoked (not registered again)");
            assertThat(RegistrationScenario.registrations(out)).containsEntry("reg-00001@d", "DEREGISTERED");
            assertThat(emulator.successfulRegistrations()).as("only the FAILED device was tried").isEqualTo(registrations);

            CommandOutput again = CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(),
                    "--again-deregistered", "--no-progress");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(RegistrationScenario.registrations(out)).containsEntry("reg-00001@d", "REGISTERED")
                    .containsEntry("reg-00002@d", "REGISTERED");
            assertThat(emulator.certificateStatus(EmulatorTargets.ACCOUNT_A, row(out, "reg-00001").get("certificate_id")))
                    .contains("ACTIVE");
        }
    }

    @Test
    void badInputIsRefusedWithExitCodeTwoBeforeAnyCall() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = scenario.deregistrationTarget(emulator, 500);
            Path out = registered(emulator, targets);
            long before = requests(emulator);

            CommandOutput unknown = CommandOutput.run("deregister", "--out", out.toString(), "--config", targets.toString(),
                    "--device", "reg-00001", "--device", "no-such\u001b[31mdevice");
            CommandOutput failed = CommandOutput.run("deregister", "--out", out.toString(), "--config", targets.toString(),
                    "--target", "d", "--device", "reg-00007");
            CommandOutput target = CommandOutput.run("deregister", "--out", out.toString(), "--config", targets.toString(),
                    "--target", "nowhere", "--device", "reg-00001");
            Path list = Files.writeString(dir.resolve("devices.txt"), "reg-00001\n");
            CommandOutput both = CommandOutput.run("deregister", "--out", out.toString(), "--config", targets.toString(),
                    "--device", "reg-00001", "--devices", list.toString());

            assertThat(unknown.exitCode()).isEqualTo(2);
            assertThat(unknown.err()).contains("the output has no device no-such\\u001B[31mdevice").doesNotContain("\u001b");
            assertThat(failed.exitCode()).isEqualTo(2);
            assertThat(failed.err()).contains("not registered: device reg-00007 with d (FAILED)");
            assertThat(target.exitCode()).isEqualTo(2);
            assertThat(target.err()).contains("--target nowhere is not configured");
            assertThat(both.exitCode()).isEqualTo(2);
            assertThat(both.err()).contains("not both");
            assertThat(requests(emulator)).as("no call at all").isEqualTo(before);
            assertThat(RegistrationScenario.registrations(out)).containsEntry("reg-00001@d", "REGISTERED");
        }
    }

    private static CSVRecord row(Path out, String deviceId) throws Exception {
        return RegistrationScenario.readCsv(out.resolve("manifest.csv")).stream().filter(r -> r.get("device_id").equals(deviceId))
                .findFirst().orElseThrow();
    }
}
