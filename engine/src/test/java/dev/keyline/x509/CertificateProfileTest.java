package dev.keyline.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.keys.KeyAlgorithm;

class CertificateProfileTest {

    @TempDir
    Path dir;

    @Test
    void defaultsSuitADevice() {
        CertificateProfile p = CertificateProfile.defaults();
        assertThat(p.validity()).isEqualTo(Duration.ofDays(3650));
        assertThat(p.backdate()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.keyAgreement()).isFalse();
        assertThat(p.extendedKeyUsages()).containsExactly(KeyPurpose.CLIENT_AUTH);
        assertThat(p.defaultKeyAlgorithm()).isEqualTo(KeyAlgorithm.EC_P256);
        assertThat(p.allowedKeyAlgorithms()).containsExactlyInAnyOrder(KeyAlgorithm.values());
        assertThat(p.signatureDigest()).isEqualTo("SHA-256");
    }

    @Test
    void theSampleProfileSpellsOutTheDefaults() {
        // Relative to the engine module, where Maven runs the tests.
        assertThat(CertificateProfile.load(Path.of("../samples/profile.yaml"))).isEqualTo(CertificateProfile.defaults());
    }

    @Test
    void loadsEveryKeyFromYaml() throws Exception {
        Path file = Files.writeString(dir.resolve("p.yml"), """
                validity-days: 365
                backdate-seconds: 0
                key-agreement: true
                extended-key-usages: [clientAuth, serverAuth]
                default-key: ec-p384
                allowed-keys: [ec-p384, rsa-2048]
                signature-digest: sha384
                """);
        CertificateProfile p = CertificateProfile.load(file);
        assertThat(p).isEqualTo(new CertificateProfile(Duration.ofDays(365), Duration.ZERO, true,
                List.of(KeyPurpose.CLIENT_AUTH, KeyPurpose.SERVER_AUTH), KeyAlgorithm.EC_P384,
                EnumSet.of(KeyAlgorithm.EC_P384, KeyAlgorithm.RSA_2048), "SHA-384"));
    }

    @Test
    void loadsJsonAndFillsMissingKeysFromTheDefaults() throws Exception {
        Path file = Files.writeString(dir.resolve("p.json"), "{\"validity-days\": 30, \"extended-key-usages\": []}");
        CertificateProfile p = CertificateProfile.load(file);
        assertThat(p.validity()).isEqualTo(Duration.ofDays(30));
        assertThat(p.extendedKeyUsages()).isEmpty();
        assertThat(p.defaultKeyAlgorithm()).isEqualTo(KeyAlgorithm.EC_P256);
    }

    @Test
    void anEmptyFileIsTheDefaults() throws Exception {
        assertThat(CertificateProfile.load(Files.writeString(dir.resolve("p.yaml"), "# nothing\n")))
                .isEqualTo(CertificateProfile.defaults());
    }

    @Test
    void refusesAnUnknownKeyNamingItAndTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("p.yaml"), "validity: 365\n");
        assertThatThrownBy(() -> CertificateProfile.load(file))
                .isInstanceOfSatisfying(ProfileException.class, e -> {
                    assertThat(e.file()).contains(file);
                    assertThat(e.key()).contains("validity");
                })
                .hasMessageContaining(file + ": unknown key `validity`")
                .hasMessageContaining("validity-days");
    }

    @Test
    void refusesBadValuesNamingTheKeyAndTheFix() throws Exception {
        assertRefused("validity-days: 0", "`validity-days` must be a number from 1 to 36500");
        assertRefused("validity-days: ten", "`validity-days` must be a number");
        assertRefused("backdate-seconds: -5", "`backdate-seconds` must be a number from 0 to 86400");
        assertRefused("key-agreement: maybe", "`key-agreement` must be true or false");
        assertRefused("extended-key-usages: [codeSigning]", "\"codeSigning\" is not a known extended key usage: use clientAuth, serverAuth");
        assertRefused("default-key: ed25519", "`default-key` has unknown key algorithm \"ed25519\"");
        assertRefused("allowed-keys: []", "`allowed-keys` is empty");
        assertRefused("allowed-keys: [rsa-2048]", "default-key ec-p256 is not in allowed-keys (rsa-2048)");
        assertRefused("signature-digest: MD5", "unknown signature digest \"MD5\"");
    }

    @Test
    void refusesDuplicateKeys() throws Exception {
        assertRefused("validity-days: 1\nvalidity-days: 2", "not valid YAML/JSON");
    }

    @Test
    void refusesOtherFileTypesAndMissingFiles() {
        assertThatThrownBy(() -> CertificateProfile.load(dir.resolve("p.txt")))
                .isInstanceOf(ProfileException.class).hasMessageContaining(".yaml, .yml or .json");
        assertThatThrownBy(() -> CertificateProfile.load(dir.resolve("missing.yaml")))
                .isInstanceOf(ProfileException.class).hasMessageContaining("cannot read the profile");
    }

    private void assertRefused(String yaml, String message) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), yaml + "\n");
        assertThatThrownBy(() -> CertificateProfile.load(file))
                .isInstanceOf(ProfileException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(message);
    }

    @Test
    void requiredSubjectIsReadAndAnUnknownAttributeIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("req.yaml"), "required-subject: [CN, c, serialNumber]\n");
        assertThat(CertificateProfile.load(file).requiredSubject()).containsExactlyInAnyOrder(
                SubjectName.AttributeType.CN, SubjectName.AttributeType.C, SubjectName.AttributeType.SERIAL_NUMBER);
        assertThat(CertificateProfile.defaults().requiredSubject()).isEmpty();

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "required-subject: [CN, Country]\n");
        assertThatThrownBy(() -> CertificateProfile.load(bad)).isInstanceOf(ProfileException.class)
                .hasMessageContaining("`required-subject` names \"Country\"").hasMessageContaining("CN, C, ST");
    }
}
