package dev.keyline.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
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
        assertThatThrownBy(() -> new DeviceBundle(id, VALID.certificate(), VALID.certificateDer(), null, VALID.chain()))
                .isInstanceOf(BundleWriteException.class)
                .hasMessageContaining("[A-Za-z0-9:_-]{1,128}");
    }

    @Test
    void refusesAnIdLongerThan128Characters() {
        assertThatThrownBy(() -> new DeviceBundle("d".repeat(129), VALID.certificate(), VALID.certificateDer(), null,
                VALID.chain())).isInstanceOf(BundleWriteException.class);
        assertThat(new DeviceBundle("d".repeat(128), VALID.certificate(), VALID.certificateDer(), null, VALID.chain())
                .deviceId()).hasSize(128);
    }

    @Test
    void acceptsColonsUnderscoresAndDashes() {
        assertThat(new DeviceBundle("AA:bb:09_x-y", VALID.certificate(), VALID.certificateDer(), null, VALID.chain())
                .deviceId()).isEqualTo("AA:bb:09_x-y");
    }

    @Test
    void refusesDerThatIsNotTheCertificatesEncoding() {
        byte[] other = PKI.device("dev-2").certificateDer();
        assertThatThrownBy(() -> new DeviceBundle("dev-1", VALID.certificate(), other, null, VALID.chain()))
                .isInstanceOf(BundleWriteException.class)
                .hasMessageContaining("certificateDer");
    }

    @Test
    void refusesAChainThatDoesNotStartWithTheIssuingCa() {
        List<X509Certificate> reversed = List.of(PKI.chain().get(1), PKI.chain().get(0));
        assertThatThrownBy(() -> DeviceBundle.of("dev-1", VALID.certificate(), null, reversed))
                .isInstanceOf(BundleWriteException.class)
                .hasMessageContaining("issuing CA");
        assertThatThrownBy(() -> DeviceBundle.of("dev-1", VALID.certificate(), null, List.of()))
                .isInstanceOf(BundleWriteException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void toStringSaysWhetherAKeyIsHeldButNeverShowsIt() {
        assertThat(VALID.toString()).contains("dev-1", "held (EC)").doesNotContain("PRIVATE", "privateKey=EC");
        assertThat(PKI.deviceWithoutKey("dev-3").toString()).contains("not held");
    }
}
