package dev.keyline.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceBundleTest {

    private static final TestPki PKI = new TestPki();
    private static final DeviceBundle VALID = PKI.device("dev-1");

    @ParameterizedTest
    @ValueSource(strings = {"../x", "..", ".staging", "a/b", "a\\b", "", " dev", "dev\n", "caf\u00e9", "dev.1"})
    void refusesDeviceIdsThatAreNotASafeFolderName(String id) {
        assertThatThrownBy(() -> new DeviceBundle(id, VALID.certificateDer(), null, VALID.chain()))
                .isInstanceOf(BundleWriteException.class)
                .hasMessageContaining("[A-Za-z0-9:_-]{1,128}");
    }

    @Test
    void refusesAnIdLongerThan128Characters() {
        assertThatThrownBy(() -> new DeviceBundle("d".repeat(129), VALID.certificateDer(), null,
                VALID.chain())).isInstanceOf(BundleWriteException.class);
        assertThat(new DeviceBundle("d".repeat(128), VALID.certificateDer(), null, VALID.chain())
                .deviceId()).hasSize(128);
    }

    @Test
    void acceptsColonsUnderscoresAndDashes() {
        assertThat(new DeviceBundle("AA:bb:09_x-y", VALID.certificateDer(), null, VALID.chain())
                .deviceId()).isEqualTo("AA:bb:09_x-y");
    }

    @Test
    void refusesDerThatIsNotACertificate() throws Exception {
        byte[] der = VALID.certificateDer();
        byte[] truncated = Arrays.copyOf(der, der.length - 1);
        byte[] trailing = Arrays.copyOf(der, der.length + 1);
        byte[] tbsOnly = VALID.x509().getTBSCertificate();
        for (byte[] bad : List.of(truncated, trailing, tbsOnly, new byte[0])) {
            assertThatThrownBy(() -> new DeviceBundle("dev-1", bad, null, VALID.chain()))
                    .isInstanceOf(BundleWriteException.class)
                    .hasMessageContaining("certificateDer is not a DER certificate");
        }
    }

    @Test
    void refusesAChainThatDoesNotStartWithTheIssuingCa() {
        List<X509Certificate> reversed = List.of(PKI.chain().get(1), PKI.chain().get(0));
        assertThatThrownBy(() -> new DeviceBundle("dev-1", VALID.certificateDer(), null, reversed))
                .isInstanceOf(BundleWriteException.class)
                .hasMessageContaining("issuing CA");
        assertThatThrownBy(() -> new DeviceBundle("dev-1", VALID.certificateDer(), null, List.of()))
                .isInstanceOf(BundleWriteException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void readsTheIssuerFromTheDerAndParsesOnlyWhenAsked() throws Exception {
        X509Certificate parsed = VALID.x509();
        assertThat(parsed.getEncoded()).isEqualTo(VALID.certificateDer());
        assertThat(parsed.getIssuerX500Principal()).isEqualTo(PKI.chain().get(0).getSubjectX500Principal());
        assertThat(VALID.toString()).contains("subject=" + parsed.getSubjectX500Principal().getName(),
                "serial=" + parsed.getSerialNumber().toString(16));
    }

    @Test
    void toStringSaysWhetherAKeyIsHeldButNeverShowsIt() {
        assertThat(VALID.toString()).contains("dev-1", "held (EC)").doesNotContain("PRIVATE", "privateKey=EC");
        assertThat(PKI.deviceWithoutKey("dev-3").toString()).contains("not held");
    }
}
