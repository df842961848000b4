package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.aws.EmulatorTargets;
import dev.keyline.aws.emulator.IotEmulator;
import dev.keyline.testing.CommandOutput;

/**
 * Thing groups and thing types through the real CLI and the real SDK, against the IoT emulator over HTTP: the
 * manifest's groups are applied, a missing group or type is created when the target says so and otherwise refused
 * before any device is registered (the emulator's request counts show no registration call).
 */
class ThingGroupsAndTypesTest {

    private static final int DEVICES = 40;
    private static final String A = EmulatorTargets.ACCOUNT_A;

    @TempDir
    Path dir;
    RegistrationScenario scenario;

    @BeforeEach
    void setUp() throws Exception {
        scenario = new RegistrationScenario(dir);
    }

    /** An output of DEVICES devices with that thing_type and thing_groups ({@code ;}), issued with no target. */
    private Path issued(String thingType, String groups) throws Exception {
        Path out = dir.resolve("out");
        CommandOutput run = CommandOutput.run(scenario.run(scenario.manifestWithGroups(DEVICES, thingType, groups), out)
                .toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        return out;
    }

    private static CommandOutput register(Path out, Path targets) {
        return CommandOutput.run("register", "--out", out.toString(), "--config", targets.toString(), "--no-progress");
    }

    private static long calls(IotEmulator emulator, String operation) {
        return emulator.requests().total(operation);
    }

    @Test
    void groupsAreAppliedAndAMissingOneIsCreatedWhenTheTargetSaysSoAndASecondRegisterMakesNoMembershipCall() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().thingGroup(A, "line-a").start()) {
            Path out = issued("sensor", "line-a;fleet-2026");
            Path targets = scenario.thingTarget(emulator, "create-thing-groups: true");

            CommandOutput first = register(out, targets);

            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.err()).contains("target g: created thing group(s) fleet-2026");
            assertThat(emulator.hasThingGroup(A, "fleet-2026")).isTrue();
            for (CSVRecord row : RegistrationScenario.readCsv(out.resolve("manifest.csv"))) {
                assertThat(row.get("g_status")).isEqualTo("REGISTERED");
                assertThat(emulator.thingGroupsOf(A, row.get("thing_name"))).containsExactly("line-a", "fleet-2026");
            }
            assertThat(calls(emulator, "DescribeThingGroup")).as("each group looked up once, not per device").isEqualTo(2);
            assertThat(calls(emulator, "CreateThingGroup")).isEqualTo(1);
            assertThat(calls(emulator, "DescribeThingType")).isEqualTo(1);
            assertThat(calls(emulator, "CreateThingType")).isZero();
            assertThat(calls(emulator, "AddThingToThingGroup")).isEqualTo(2L * DEVICES);

            long before = RegisterCommandTest.totalRequests(emulator);
            CommandOutput second = register(out, targets);

            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(second.out()).contains("0 registered and 0 failed by this process");
            assertThat(RegisterCommandTest.totalRequests(emulator)).as("registered devices: no call, no group check")
                    .isEqualTo(before);
            assertThat(calls(emulator, "AddThingToThingGroup")).isEqualTo(2L * DEVICES);
        }
    }

    @Test
    void aMissingGroupIsRefusedWithExitTwoNamingItBeforeAnyDeviceIsRegistered() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().thingGroup(A, "line-a").start()) {
            Path out = issued("sensor", "line-a;fleet-2026");
            Path targets = scenario.thingTarget(emulator);

            CommandOutput refused = register(out, targets);

            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
            assertThat(refused.err()).contains("thing group fleet-2026 does not exist")
                    .contains("keyline.targets.g.create-thing-groups: true");
            for (String registration : new String[] {"RegisterCertificateWithoutCA", "CreateThing", "AttachThingPrincipal",
                    "AddThingToThingGroup", "CreateThingGroup"}) {
                assertThat(calls(emulator, registration)).as(registration).isZero();
            }
            assertThat(emulator.certificateCount(A)).isZero();
            assertThat(RegistrationScenario.registrations(out)).as("nothing recorded: nothing was tried").isEmpty();
            assertThat(emulator.hasThingGroup(A, "fleet-2026")).isFalse();
        }
    }

    @Test
    void aMissingTypeIsRefusedWithExitTwoOrCreatedWhenTheTargetSaysSo() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path out = issued("valve", "");
            Path refusing = scenario.thingTarget(emulator);

            CommandOutput refused = register(out, refusing);

            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
            assertThat(refused.err()).contains("thing type valve does not exist").contains("create-thing-type: true");
            assertThat(calls(emulator, "DescribeThingType")).isEqualTo(1);
            assertThat(calls(emulator, "RegisterCertificateWithoutCA")).isZero();
            assertThat(calls(emulator, "CreateThing")).isZero();
            assertThat(RegistrationScenario.registrations(out)).isEmpty();

            Path creating = scenario.thingTarget(emulator, "create-thing-type: true");
            CommandOutput created = register(out, creating);

            assertThat(created.exitCode()).as(created.err()).isZero();
            assertThat(created.err()).contains("target g: created thing type(s) valve");
            assertThat(calls(emulator, "CreateThingType")).isEqualTo(1);
            assertThat(emulator.hasThingType(A, "valve")).isTrue();
            assertThat(RegistrationScenario.registrations(out).values()).hasSize(DEVICES).containsOnly("REGISTERED");
            assertThat(calls(emulator, "CreateThing")).isEqualTo(DEVICES);
        }
    }

    @Test
    void theTargetsOwnThingTypeIsCheckedOnceToo() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path out = issued("", "");
            Path targets = scenario.thingTarget(emulator, "thing-type: no-such-type");

            CommandOutput refused = register(out, targets);

            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
            assertThat(refused.err()).contains("thing type no-such-type does not exist");
            assertThat(calls(emulator, "DescribeThingType")).isEqualTo(1);
            assertThat(calls(emulator, "RegisterCertificateWithoutCA")).isZero();
        }
    }

    @Test
    void aDeprecatedTypeIsRefusedWithExitTwoBeforeAnyDevice() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            emulator.deprecateThingType(A, EmulatorTargets.THING_TYPE);
            Path out = issued(EmulatorTargets.THING_TYPE, "");

            CommandOutput refused = register(out, scenario.thingTarget(emulator, "create-thing-type: true"));

            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
            assertThat(refused.err()).contains("thing type " + EmulatorTargets.THING_TYPE + " is deprecated");
            assertThat(calls(emulator, "CreateThingType")).as("it exists: nothing to create").isZero();
            assertThat(calls(emulator, "RegisterCertificateWithoutCA")).isZero();
            assertThat(calls(emulator, "CreateThing")).isZero();
        }
    }

    @Test
    void templateModePassesTheGroupsInTheTemplateAndChecksThemFirst() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().thingGroup(A, "line-a").start()) {
            Path out = issued(EmulatorTargets.THING_TYPE, "line-a;fleet-2026");

            CommandOutput refused = register(out, scenario.groupTemplateTarget(emulator));

            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
            assertThat(refused.err()).contains("thing group fleet-2026 does not exist");
            assertThat(calls(emulator, "RegisterThing")).isZero();

            CommandOutput created = register(out, scenario.groupTemplateTarget(emulator, "create-thing-groups: true"));

            assertThat(created.exitCode()).as(created.err()).isZero();
            assertThat(calls(emulator, "RegisterThing")).isEqualTo(DEVICES);
            assertThat(calls(emulator, "AddThingToThingGroup")).as("the template applies them, not separate calls").isZero();
            for (CSVRecord row : RegistrationScenario.readCsv(out.resolve("manifest.csv"))) {
                assertThat(row.get("t_status")).isEqualTo("REGISTERED");
                assertThat(emulator.thingGroupsOf(A, row.get("thing_name"))).containsExactly("line-a", "fleet-2026");
            }
        }
    }

    @Test
    void bulkTaskModePassesTheGroupsInTheInputFileAndChecksThemBeforeTheFirstTask() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().bucket(RegistrationScenario.BUCKET)
                .taskDuration(java.time.Duration.ofMillis(200)).thingGroup(A, "line-a").start()) {
            Path out = issued(EmulatorTargets.THING_TYPE, "line-a;fleet-2026");

            CommandOutput refused = register(out, scenario.groupBulkTarget(emulator));

            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
            assertThat(refused.err()).contains("thing group fleet-2026 does not exist");
            assertThat(calls(emulator, "StartThingRegistrationTask")).isZero();
            assertThat(emulator.s3Keys(RegistrationScenario.BUCKET, "")).as("no input file uploaded").isEmpty();

            CommandOutput created = register(out, scenario.groupBulkTarget(emulator, "create-thing-groups: true"));

            assertThat(created.exitCode()).as(created.err()).isZero();
            assertThat(calls(emulator, "StartThingRegistrationTask")).isEqualTo(1);
            for (CSVRecord row : RegistrationScenario.readCsv(out.resolve("manifest.csv"))) {
                assertThat(row.get("fleet_status")).isEqualTo("REGISTERED");
                assertThat(emulator.thingGroupsOf(A, row.get("thing_name"))).containsExactly("line-a", "fleet-2026");
            }
        }
    }

    @Test
    void aRunWithATargetStopsBeforeRegisteringWhenAGroupIsMissingAndRestartGoesOnOnceItExists() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path out = dir.resolve("out");
            Path targets = scenario.thingTarget(emulator);
            Path manifest = scenario.manifestWithGroups(DEVICES, "sensor", "line-a");

            CommandOutput run = CommandOutput.run(scenario.run(manifest, out, "--config", targets.toString(), "--target", "g")
                    .toArray(String[]::new));

            assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
            assertThat(run.err() + run.out()).contains("thing group line-a does not exist");
            assertThat(calls(emulator, "RegisterCertificateWithoutCA")).isZero();
            assertThat(RegistrationScenario.registrations(out)).isEmpty();

            EmulatorTargets.createThingGroupInAccountA(emulator, "line-a");
            CommandOutput restarted = CommandOutput.run("restart", "--out", out.toString(), "--passphrase-file",
                    scenario.passphrase.toString(), "--no-progress");

            assertThat(restarted.exitCode()).as(restarted.err()).isZero();
            assertThat(RegistrationScenario.registrations(out).values()).hasSize(DEVICES).containsOnly("REGISTERED");
            for (CSVRecord row : RegistrationScenario.readCsv(out.resolve("manifest.csv"))) {
                assertThat(emulator.thingGroupsOf(A, row.get("thing_name"))).containsExactly("line-a");
            }
        }
    }
}
