package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.bundle.BundleOptions;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.CaSecrets;
import dev.keyline.cli.Keyline;
import dev.keyline.hsm.HsmConfig;
import dev.keyline.hsm.HsmPin;
import dev.keyline.hsm.Pkcs11Token;
import dev.keyline.hsm.testing.SoftHsm;
import dev.keyline.keys.DeviceKey;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeyOrigin;
import dev.keyline.keys.KeySource;
import dev.keyline.keys.TokenKeyHandling;
import dev.keyline.keys.TokenKeyJournal;
import dev.keyline.keys.TokenKeySource;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.testing.RunRequests;
import dev.keyline.x509.CertificateProfile;

/**
 * Kept device keys across failures: a run that fails mid-way leaves keys in the token for devices whose chunk did not
 * commit; the restart replaces them, so every device ends with exactly one key pair in the token, the one its
 * certificate names (CKA_ID = SKI), and devices committed before the failure keep their certificate. Two failures:
 * the CA signer failing after the key was made (as a removed CA token does), and the device-key token itself
 * failing for real (logged out under the run: CKR_USER_NOT_LOGGED_IN).
 */
@Tag("full")
class HsmKeysRestartTest {

    private static final int DEVICES = 300;

    @TempDir
    static Path dir;
    static HsmConfig config;
    static Pkcs11Token token;
    static CertificateAuthority ca;
    static Path caDir;

    @BeforeAll
    static void setUp() throws Exception {
        SoftHsm.get();
        config = HsmConfig.load(SoftHsm.writeConfig(dir, "restart", "token-label: " + SoftHsm.TOKEN, SoftHsm.USER_PIN));
        token = Pkcs11Token.open(config, HsmPin.resolve(config, Map.of()));
        Path pass = dir.resolve("pass");
        Files.writeString(pass, "hsm restart\n");
        caDir = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=HSM Restart CA,O=Acme,C=US", "--out", caDir.toString(),
                "--passphrase-file", pass.toString())).isZero();
        ca = new CaFolder(caDir).keyStore().open(new CaSecrets("hsm restart"::toCharArray, Map.of()));
    }

    @AfterAll
    static void close() {
        token.close();
    }

    @Test
    void aSignerFailureAfterTheKeyWasMadeLeavesKeysThatTheRestartReplaces() throws Exception {
        Path out = dir.resolve("signer-fails");
        AtomicInteger budget = new AtomicInteger(120);
        TokenKeySource keys = keySource(out);
        IssuanceKit kit = kit(new CertificateAuthority(ca.certificate(), ca.chain(), new FailingSigner(ca.signer(), budget)),
                keys, out);
        RunRequest request = request("sign-fail", out);

        try (Provisioning provisioning = Provisioning.open(Database.embedded(out), out.resolve(".keyline/keyline.log"), 2,
                settings -> kit)) {
            RunState failed = provisioning.start(request);
            assertThat(failed.completed()).isFalse();
            assertThat(failed.failures()).anySatisfy(t -> assertThat(FailingSigner.messages(t)).contains("CKR_DEVICE_REMOVED"));
            Map<String, String> before = certificateIds(provisioning, request.outputId());
            assertThat(before.size()).isBetween(1, DEVICES - 1);
            Map<String, List<SoftHsm.ListedObject>> leftovers = HsmKeyChecks.keyObjectsByLabel(SoftHsm.TOKEN);
            assertThat(leftovers.keySet().stream().filter(l -> l.startsWith("sign-fail-") && !before.containsKey(l)))
                    .as("keys of devices whose chunk did not commit stay in the token until the restart").isNotEmpty();

            budget.set(Integer.MAX_VALUE); // the CA's token is back
            RunState resumed = provisioning.restart(failed.executionId());
            assertThat(resumed.completed()).isTrue();
            Map<String, String> after = certificateIds(provisioning, request.outputId());
            assertThat(after).hasSize(DEVICES);
            before.forEach((device, id) -> assertThat(after.get(device)).as(device).isEqualTo(id));
        }
        assertExactlyOneKeyPerDeviceNamedByItsCertificate("sign-fail", out);
    }

    @Test
    void aTokenThatFailsUnderTheRunFailsItNamingTheCauseAndTheRestartCompletesIt() throws Exception {
        Path out = dir.resolve("token-fails");
        TokenKeySource tokenKeys = keySource(out);
        AtomicInteger untilLogout = new AtomicInteger(130);
        KeySource failing = new KeySource() {
            @Override
            public KeyPair generate(KeyAlgorithm algorithm) {
                throw new UnsupportedOperationException();
            }

            @Override
            public DeviceKey keyFor(String deviceId, KeyAlgorithm algorithm) {
                if (untilLogout.decrementAndGet() == 0) {
                    logOut(); // the token's session state is lost, as when its PIN locks or it restarts
                }
                return tokenKeys.keyFor(deviceId, algorithm);
            }
        };
        IssuanceKit kit = kit(ca, failing, out);
        RunRequest request = request("token-fail", out);

        try (Provisioning provisioning = Provisioning.open(Database.embedded(out), out.resolve(".keyline/keyline.log"), 2,
                settings -> kit)) {
            RunState failed = provisioning.start(request);
            assertThat(failed.completed()).isFalse();
            assertThat(failed.failures()).anySatisfy(t -> assertThat(FailingSigner.messages(t))
                    .contains("CKR_USER_NOT_LOGGED_IN").containsPattern("the key of device token-fail-\\d+"));
            Map<String, String> before = certificateIds(provisioning, request.outputId());
            assertThat(before.size()).isBetween(1, DEVICES - 1);

            Pkcs11Token.open(config, HsmPin.resolve(config, Map.of())); // the token is back: logged in again
            RunState resumed = provisioning.restart(failed.executionId());
            assertThat(resumed.completed()).isTrue();
            Map<String, String> after = certificateIds(provisioning, request.outputId());
            assertThat(after).hasSize(DEVICES);
            before.forEach((device, id) -> assertThat(after.get(device)).as(device).isEqualTo(id));
        }
        assertExactlyOneKeyPerDeviceNamedByItsCertificate("token-fail", out);
    }

    /** pkcs11-tool's view of the token: per device one private and one public key, CKA_ID = the certificate's SKI. */
    private static void assertExactlyOneKeyPerDeviceNamedByItsCertificate(String prefix, Path out) throws Exception {
        Map<String, List<SoftHsm.ListedObject>> objects = HsmKeyChecks.keyObjectsByLabel(SoftHsm.TOKEN);
        assertThat(objects.keySet().stream().filter(l -> l.startsWith(prefix + "-"))).hasSize(DEVICES);
        X509Certificate root = ca.certificate();
        for (var row : ProvisionRunTest.readCsv(out.resolve("manifest.csv"))) {
            String device = row.get("device_id");
            assertThat(row.get("key_location")).isEqualTo("HSM");
            X509Certificate certificate = IndependentVerifier.readCertificate(out.resolve(row.get("bundle_path"))
                    .resolve("device.crt.pem"));
            IndependentVerifier.validateWithJdk(certificate, List.of(), root);
            List<SoftHsm.ListedObject> pair = objects.get(device);
            assertThat(pair).as(device + ": exactly one key pair").hasSize(2);
            assertThat(pair).filteredOn(SoftHsm.ListedObject::isPrivateKey).hasSize(1);
            assertThat(pair).as(device + ": the key its certificate names")
                    .allSatisfy(o -> assertThat(o.id()).isEqualTo(HsmKeyChecks.ski(certificate)));
        }
        String sample = prefix + "-" + (DEVICES - 1);
        X509Certificate last = IndependentVerifier.readCertificate(out.resolve("bundles").resolve(sample).resolve("device.crt.pem"));
        HsmKeyChecks.assertTokenKeySignsFor(SoftHsm.TOKEN, sample, HsmKeyChecks.ski(last), last, dir);
        ProvisionRunTest.assertSha256SumsMatch(out);
    }

    private static void logOut() {
        try {
            ((AuthProvider) token.provider()).logout();
        } catch (Exception e) {
            throw new AssertionError("cannot log the token out", e);
        }
    }

    private static TokenKeySource keySource(Path out) {
        return new TokenKeySource(token.deviceKeys(), TokenKeyHandling.KEEP, Optional.empty(),
                new TokenKeyJournal(out.resolve(".keyline/token-keys")));
    }

    private static IssuanceKit kit(CertificateAuthority authority, KeySource keys, Path out) {
        return new IssuanceKit(authority, CertificateProfile.defaults(), keys, new BundleOptions(out, Optional.empty(), false),
                Optional.empty());
    }

    private static RunRequest request(String prefix, Path out) throws Exception {
        Files.createDirectories(out.resolve(".keyline"));
        StringBuilder csv = new StringBuilder("device_id,organization,country\n");
        for (int i = 0; i < DEVICES; i++) {
            csv.append(prefix).append('-').append(i).append(",Acme,US\n");
        }
        Path manifest = dir.resolve(prefix + ".csv");
        Files.writeString(manifest, csv);
        return RunRequests.twoPartitions(manifest, out, caDir).outputId("output-" + prefix).chunkSize(20)
                .keys(KeyOrigin.HSM).hsm(Optional.of(config.source())).build();
    }

    private static Map<String, String> certificateIds(Provisioning provisioning, String outputId) {
        Map<String, String> ids = new HashMap<>();
        provisioning.ledger().identities().forEachIssued(outputId, e -> ids.put(e.deviceId(), e.certificateId()));
        return ids;
    }
}
