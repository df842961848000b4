package dev.keyline.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.keyline.x509.IssuedCertificate;

class DeviceIdentityTest {

    private static final TestIdentities PKI = new TestIdentities("/O=Keyline Test/CN=Identity Test CA");

    @Test
    void refusesACertificateIdThatIsNotTheSha256OfTheCertificate() {
        IssuedCertificate one = PKI.issue("one");
        IssuedCertificate other = PKI.issue("other");

        assertThatThrownBy(() -> new DeviceIdentity("one", "one", Optional.empty(), Map.of(), one.der(), other.certificateId(), Optional.empty()))
                .hasMessageContaining("is not the SHA-256 of its certificate");
    }

    @Test
    void refusesThingNamesAwsWouldRefuse() {
        IssuedCertificate one = PKI.issue("one");

        assertThatThrownBy(() -> new DeviceIdentity("one", "has space", Optional.empty(), Map.of(), one.der(), one.certificateId(), Optional.empty()))
                .hasMessageContaining("[a-zA-Z0-9:_-]{1,128}").hasMessageContaining("thing_name");
    }

    @Test
    void pemRoundTripsToTheSameCertificateAndTemplateValuesNameTheDevice() throws Exception {
        IssuedCertificate issued = PKI.issue("pem");
        DeviceIdentity device = new DeviceIdentity("pem", "thing-pem", Optional.of("sensor"), Map.of("line", "2"),
                issued.der(), issued.certificateId(), Optional.empty());

        var parsed = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(device.certificatePem().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(parsed.getEncoded()).isEqualTo(issued.der());
        assertThat(Registrar.templateValues(device)).containsEntry("ThingName", "thing-pem").containsEntry("DeviceId", "pem")
                .containsEntry("CertificateId", issued.certificateId()).containsEntry("ThingTypeName", "sensor").containsEntry("line", "2")
                .doesNotContainKey("CACertificatePem");
    }

    @Test
    void templateValuesAreTheOnesTheLintResolvesSubjectValuesAndAttributesFirst() {
        IssuedCertificate issued = PKI.issue("lint-aligned");
        DeviceIdentity device = new DeviceIdentity("lint-aligned", "thing-1", Optional.empty(),
                Map.of("ThingName", "from-attributes", "model", "x1"), issued.der(), issued.certificateId(), Optional.empty());

        assertThat(Registrar.templateValues(device))
                .containsEntry("AWS::IoT::Certificate::CommonName", "lint-aligned")
                .containsEntry("AWS::IoT::Certificate::Organization", "Keyline Test")
                .containsEntry("AWS::IoT::Certificate::Id", issued.certificateId())
                .doesNotContainKey("AWS::IoT::Certificate::Country")
                .containsEntry("ThingName", "from-attributes")
                .containsEntry("model", "x1")
                .containsEntry("DeviceId", "lint-aligned");
    }
}
