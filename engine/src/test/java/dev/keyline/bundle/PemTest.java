package dev.keyline.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PemTest {

    @Test
    void matchesTheJdkMimeEncoderWith64ColumnLinesForEveryLengthAroundLineBoundaries() {
        Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Random random = new Random(42);
        for (int length = 0; length <= 300; length++) {
            byte[] der = new byte[length];
            random.nextBytes(der);
            String body = mime.encodeToString(der);
            String expected = "-----BEGIN PRIVATE KEY-----\n" + body + (length > 0 ? "\n" : "") + "-----END PRIVATE KEY-----\n";
            assertThat(new String(Pem.privateKey(der), StandardCharsets.US_ASCII)).as("length %d", length).isEqualTo(expected);
        }
    }

    @Test
    void certificateBlockParsesBackWithTheJdk() throws Exception {
        TestPki pki = new TestPki();
        DeviceBundle bundle = pki.device("dev-pem");
        byte[] pem = Pem.certificate(bundle.certificateDer());
        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
        assertThat(parsed).isEqualTo(bundle.x509());
        for (String line : new String(pem, StandardCharsets.US_ASCII).split("\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(64);
        }
    }

    @Test
    void chainIsTheCertificatesInTheOrderGiven() throws Exception {
        TestPki pki = new TestPki();
        List<Certificate> parsed = List.copyOf(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Pem.certificates(pki.chain()))));
        assertThat(parsed).containsExactlyElementsOf(List.<Certificate>copyOf(pki.chain()));
    }

    @Test
    void encryptedKeyAndCustomLabelsUseTheirArmour() {
        assertThat(new String(Pem.encryptedPrivateKey(new byte[] {1, 2, 3}), StandardCharsets.US_ASCII))
                .isEqualTo("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAQID\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThat(new String(Pem.encode("CERTIFICATE REQUEST", new byte[] {1}), StandardCharsets.US_ASCII))
                .isEqualTo("-----BEGIN CERTIFICATE REQUEST-----\nAQ==\n-----END CERTIFICATE REQUEST-----\n");
    }

    @Test
    void rejectsALabelThatWouldBreakTheArmour() {
        assertThatThrownBy(() -> Pem.encode("X-----\n", new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
