package dev.keyline.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import dev.keyline.aws.EmulatorTargets;
import dev.keyline.aws.emulator.IotEmulator;

/** A CA, a manifest and a targets file in a temporary folder, and readers of what a run left behind. */
final class RegistrationScenario {

    final Path dir;
    final Path ca;
    final Path passphrase;

    RegistrationScenario(Path dir) throws IOException {
        this.dir = dir;
        EmulatorTargets.useCredentials(dir);
        passphrase = Files.writeString(dir.resolve("ca-pass.txt"), "registration test passphrase\n");
        ca = dir.resolve("ca");
        int code = Keyline.execute("ca", "init", "--subject", "CN=Registration Test CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", passphrase.toString());
        if (code != 0) {
            throw new IllegalStateException("ca init failed: " + code);
        }
    }

    String caPem() throws IOException {
        return Files.readString(ca.resolve("ca.crt.pem"));
    }

    /** {@code device_id,organization,country,thing_type,accounts}; {@code extra} gives thing_type and accounts per row. */
    Path manifest(int devices, IntFunction<String> thingTypeAndAccounts) throws IOException {
        StringBuilder csv = new StringBuilder("device_id,organization,country,thing_type,accounts\n");
        for (int i = 0; i < devices; i++) {
            csv.append(String.format("reg-%05d", i)).append(",Acme,US,").append(thingTypeAndAccounts.apply(i)).append('\n');
        }
        return Files.writeString(dir.resolve("manifest-" + devices + ".csv"), csv);
    }

    /** {@code device_id,organization,country,thing_type,thing_groups}: every device with that type and those groups. */
    Path manifestWithGroups(int devices, String thingType, String thingGroups) throws IOException {
        StringBuilder csv = new StringBuilder("device_id,organization,country,thing_type,thing_groups\n");
        for (int i = 0; i < devices; i++) {
            csv.append(String.format("grp-%05d", i)).append(",Acme,US,").append(thingType).append(',').append(thingGroups).append('\n');
        }
        return Files.writeString(dir.resolve("manifest-groups-" + devices + ".csv"), csv);
    }

    /**
     * Target {@code g}: without-ca in account A, creating the thing (so groups and types apply), with the extra
     * lines (indented as target keys, e.g. {@code create-thing-groups: true}).
     */
    Path thingTarget(IotEmulator emulator, String... extra) throws IOException {
        StringBuilder yaml = new StringBuilder("""
                keyline:
                  targets:
                    g:
                      region: %s
                      profile: %s
                      endpoint: %s
                      mode: without-ca
                      create-thing: true
                      quotas:
                        RegisterCertificateWithoutCA: 500
                        CreateThing: 500
                        AttachThingPrincipal: 500
                        ListThingPrincipals: 500
                        AddThingToThingGroup: 500
                """.formatted(EmulatorTargets.REGION, EmulatorTargets.PROFILE_A, emulator.endpoint()));
        for (String line : extra) {
            yaml.append("      ").append(line).append('\n');
        }
        return Files.writeString(dir.resolve("thing-target.yaml"), yaml);
    }

    /**
     * Target {@code t}: mode template in account A with a template that puts the thing in the device's groups
     * ({@code Fn::Split} of the {@code ThingGroups} parameter) and gives it the device's type.
     */
    Path groupTemplateTarget(IotEmulator emulator, String... extra) throws IOException {
        writeGroupTemplate();
        StringBuilder yaml = new StringBuilder("""
                keyline:
                  targets:
                    t:
                      region: %s
                      profile: %s
                      endpoint: %s
                      mode: template
                      template: group-template.json
                      quotas:
                        RegisterThing: 500
                """.formatted(EmulatorTargets.REGION, EmulatorTargets.PROFILE_A, emulator.endpoint()));
        for (String line : extra) {
            yaml.append("      ").append(line).append('\n');
        }
        return Files.writeString(dir.resolve("template-target.yaml"), yaml);
    }

    /** Target {@code fleet}: mode bulk-task in account A with {@link #groupTemplateTarget}'s template, polling every 0.1 s. */
    Path groupBulkTarget(IotEmulator emulator, String... extra) throws IOException {
        writeGroupTemplate();
        StringBuilder yaml = new StringBuilder("""
                keyline:
                  targets:
                    fleet:
                      region: %s
                      profile: %s
                      endpoint: %s
                      mode: bulk-task
                      template: group-template.json
                      bulk:
                        bucket: %s
                        prefix: nightly/fleet
                        role-arn: %s
                        poll-seconds: 0.1
                """.formatted(EmulatorTargets.REGION, EmulatorTargets.PROFILE_A, emulator.endpoint(), BUCKET, BULK_ROLE_A));
        for (String line : extra) {
            yaml.append("      ").append(line).append('\n');
        }
        return Files.writeString(dir.resolve("bulk-group-target.yaml"), yaml);
    }

    private void writeGroupTemplate() throws IOException {
        Files.writeString(dir.resolve("group-template.json"), """
                {
                  "Parameters": {
                    "ThingName": {"Type": "String"},
                    "ThingTypeName": {"Type": "String"},
                    "ThingGroups": {"Type": "String"},
                    "CertificatePem": {"Type": "String"}
                  },
                  "Resources": {
                    "thing": {
                      "Type": "AWS::IoT::Thing",
                      "Properties": {
                        "ThingName": {"Ref": "ThingName"},
                        "ThingTypeName": {"Ref": "ThingTypeName"},
                        "ThingGroups": {"Fn::Split": [",", {"Ref": "ThingGroups"}]}
                      }
                    },
                    "certificate": {
                      "Type": "AWS::IoT::Certificate",
                      "Properties": {"CertificatePem": {"Ref": "CertificatePem"}, "Status": "ACTIVE"}
                    }
                  }
                }
                """);
    }

    Path manifest(int devices) throws IOException {
        return manifest(devices, i -> ",");
    }

    /** Target {@code a}: with-ca in account A with a thing and a policy; {@code b}: without-ca in account B. */
    Path twoTargets(IotEmulator emulator) throws IOException {
        return Files.writeString(dir.resolve("targets.yaml"), """
                keyline:
                  targets:
                    a:
                      region: %s
                      profile: %s
                      endpoint: %s
                      mode: with-ca
                      create-thing: true
                      thing-type: %s
                      policy-name: %s
                      quotas:
                        RegisterCertificate: 200
                        CreateThing: 200
                        AttachThingPrincipal: 200
                        ListThingPrincipals: 200
                        AttachPolicy: 200
                    b:
                      region: %s
                      profile: %s
                      endpoint: %s
                      mode: without-ca
                      quotas:
                        RegisterCertificateWithoutCA: 200
                """.formatted(EmulatorTargets.REGION, EmulatorTargets.PROFILE_A, emulator.endpoint(), EmulatorTargets.THING_TYPE,
                EmulatorTargets.POLICY, EmulatorTargets.REGION, EmulatorTargets.PROFILE_B, emulator.endpoint()));
    }

    /**
     * Target {@code d}: without-ca in account A, creating the thing and attaching the policy, every operation (the
     * deregistration ones included) at {@code quota} calls per second.
     */
    Path deregistrationTarget(IotEmulator emulator, int quota) throws IOException {
        StringBuilder quotas = new StringBuilder();
        for (dev.keyline.aws.IotOperation operation : dev.keyline.aws.IotOperation.values()) {
            quotas.append("        ").append(operation.awsName()).append(": ").append(quota).append('\n');
        }
        return Files.writeString(dir.resolve("deregistration-target.yaml"), """
                keyline:
                  targets:
                    d:
                      region: %s
                      profile: %s
                      endpoint: %s
                      mode: without-ca
                      create-thing: true
                      policy-name: %s
                      quotas:
                """.formatted(EmulatorTargets.REGION, EmulatorTargets.PROFILE_A, emulator.endpoint(), EmulatorTargets.POLICY)
                + quotas);
    }

    /** device id + "@" + target -> the withdrawal reason kept with the row, where there is one. */
    static Map<String, String> withdrawalReasons(Path out) throws Exception {
        Map<String, String> result = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + out.toAbsolutePath().resolve(".keyline/ledger"), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT device_id, target, withdrawal_reason FROM device_registration"
                     + " WHERE withdrawal_reason IS NOT NULL")) {
            while (rs.next()) {
                result.put(rs.getString(1) + "@" + rs.getString(2), rs.getString(3));
            }
        }
        return result;
    }

    static final String BUCKET = "keyline-bulk-test";
    static final String BULK_ROLE_A = "arn:aws:iam::" + EmulatorTargets.ACCOUNT_A + ":role/keyline-bulk";

    /**
     * bulk-task targets in account A with the sample provisioning template (thing + certificate from the PEM), each
     * under its own key prefix, polling every 0.1 s.
     *
     * @param maxLines devices per task
     */
    Path bulkTargets(IotEmulator emulator, int maxLines, String... names) throws IOException {
        Files.copy(Path.of(System.getProperty("user.dir")).resolve("../samples/provisioning-template.json").normalize(),
                dir.resolve("provisioning-template.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        StringBuilder yaml = new StringBuilder("keyline:\n  targets:\n");
        for (String name : names) {
            yaml.append("""
                        %s:
                          region: %s
                          profile: %s
                          endpoint: %s
                          mode: bulk-task
                          template: provisioning-template.json
                          bulk:
                            bucket: %s
                            prefix: %s
                            role-arn: %s
                            max-lines: %d
                            poll-seconds: 0.1
                    """.formatted(name, EmulatorTargets.REGION, EmulatorTargets.PROFILE_A, emulator.endpoint(), BUCKET,
                    "nightly/" + name, BULK_ROLE_A, maxLines));
        }
        return Files.writeString(dir.resolve("bulk-targets.yaml"), yaml);
    }

    List<String> run(Path manifest, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(),
                "--passphrase-file", passphrase.toString(), "--no-progress", "--threads", "2"));
        args.addAll(List.of(extra));
        return args;
    }

    static List<CSVRecord> readCsv(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }

    /** device id + "@" + target → status, straight from the H2 ledger (no process may hold it). */
    static Map<String, String> registrations(Path out) throws Exception {
        Map<String, String> result = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + out.toAbsolutePath().resolve(".keyline/ledger"), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT device_id, target, status, error_code, error_message,"
                     + " certificate_arn FROM device_registration")) {
            while (rs.next()) {
                result.put(rs.getString(1) + "@" + rs.getString(2), rs.getString(3)
                        + (rs.getString(4) == null ? "" : " " + rs.getString(4) + ": " + rs.getString(5)));
            }
        }
        return result;
    }
}
