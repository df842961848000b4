package dev.keyline.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.x509.SubjectName;

class DeviceSpecParserTest {

    private final DeviceSpecParser parser = new DeviceSpecParser(false);

    private static ManifestRecord row(String... keyValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            fields.put(keyValues[i], keyValues[i + 1]);
        }
        return new ManifestRecord(0, 7, fields, null);
    }

    @Test
    void buildsTheSubjectFromSingleFieldsWithTheDeviceIdAsDefaultCommonName() {
        DeviceSpec spec = parser.parse(row("device_id", "dev-1", "organization", "Acme", "country", "US",
                "san_dns", "a.example;b.example", "key", "ec-p384", "thing_groups", "g1;g2", "attributes", "model=x;rev=2"));

        assertThat(spec.subject()).isEqualTo(SubjectName.parse("/C=US/O=Acme/CN=dev-1"));
        assertThat(spec.altNames().dnsNames()).containsExactly("a.example", "b.example");
        assertThat(spec.key()).contains(KeyAlgorithm.EC_P384);
        assertThat(spec.thingName()).isEqualTo("dev-1");
        assertThat(spec.thingGroups()).containsExactly("g1", "g2");
        assertThat(spec.attributes()).containsEntry("model", "x").containsEntry("rev", "2");
        assertThat(spec.line()).isEqualTo(7);
    }

    @Test
    void acceptsAWholeSubjectInEitherSyntax() {
        DeviceSpec rfc = parser.parse(row("device_id", "d", "subject", "CN=d,O=Acme\\, Inc.,C=US"));
        DeviceSpec slash = parser.parse(row("device_id", "d", "subject", "/C=US/O=Acme, Inc./CN=d"));
        assertThat(rfc.subject()).isEqualTo(slash.subject());
    }

    @Test
    void refusesSubjectTogetherWithSingleFields() {
        assertThatThrownBy(() -> parser.parse(row("device_id", "d", "subject", "CN=d", "organization", "Acme")))
                .isInstanceOf(InvalidDeviceException.class).hasMessageContaining("both subject and organization");
    }

    @Test
    void rejectsBadDeviceIdsNamingTheCharacter() {
        assertThatThrownBy(() -> parser.parse(row("device_id", "dev/1")))
                .isInstanceOf(InvalidDeviceException.class).hasMessageContaining("'/' at position 4");
        assertThatThrownBy(() -> parser.parse(row("organization", "Acme")))
                .isInstanceOf(InvalidDeviceException.class).hasMessageContaining("device_id is missing");
        assertThatThrownBy(() -> parser.parse(row("device_id", "d".repeat(129))))
                .isInstanceOf(InvalidDeviceException.class).hasMessageContaining("limit is 128");
    }

    @Test
    void rejectsTheBackslashSeparatorMistakeBeforeAnythingIsSigned() {
        assertThatThrownBy(() -> parser.parse(row("device_id", "thing", "subject", "/CN=thing\\C=US")))
                .isInstanceOf(InvalidDeviceException.class).hasMessageContaining("C=US");
    }

    @Test
    void rejectsUnknownKeyAlgorithmsAndCsrRowsUntilCsrInputExists() {
        assertThatThrownBy(() -> parser.parse(row("device_id", "d", "key", "rsa-1024")))
                .isInstanceOf(InvalidDeviceException.class).hasMessageContaining("rsa-1024").hasMessageContaining("ec-p256");
        assertThatThrownBy(() -> parser.parse(row("device_id", "d", "csr", "MIIB...")))
                .isInstanceOf(InvalidDeviceException.class).hasMessageContaining("CSR input is not enabled");
    }

    @Test
    void rejectsAttributesAndThingNamesAwsWouldRefuse() {
        assertThatThrownBy(() -> parser.parse(row("device_id", "d", "attributes", "model")))
                .isInstanceOf(InvalidDeviceException.class).hasMessageContaining("k=v;k=v");
        assertThatThrownBy(() -> parser.parse(row("device_id", "d", "attributes", "a b=c")))
                .isInstanceOf(InvalidDeviceException.class).hasMessageContaining("not allowed by AWS IoT");
        assertThatThrownBy(() -> parser.parse(row("device_id", "d", "thing_name", "has space")))
                .isInstanceOf(InvalidDeviceException.class).hasMessageContaining("thing_name");
    }

    @Test
    void aDefectFoundByTheReaderBecomesTheReason() {
        ManifestRecord broken = ManifestRecord.defective(3, 9, "the row has 3 fields but the header has 2");
        assertThatThrownBy(() -> parser.parse(broken))
                .isInstanceOfSatisfying(InvalidDeviceException.class, e -> {
                    assertThat(e.line()).isEqualTo(9);
                    assertThat(e.reason()).contains("3 fields");
                });
    }
}
