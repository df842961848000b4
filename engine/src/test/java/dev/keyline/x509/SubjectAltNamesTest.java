package dev.keyline.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectAltNamesTest {

    @Test
    void noneIsEmpty() {
        assertThat(SubjectAltNames.NONE.isEmpty()).isTrue();
        assertThat(new SubjectAltNames(null, null, null)).isEqualTo(SubjectAltNames.NONE);
    }

    @Test
    void acceptsHostNamesWildcardsUrisAndIpLiterals() {
        SubjectAltNames names = new SubjectAltNames(List.of("device-1.example.com", "*.things.example.com", "localhost"),
                List.of("urn:device:acme:1", "spiffe://example.org/device/1"),
                List.of("192.0.2.10", "2001:db8::1", "::ffff:192.0.2.1"));
        assertThat(names.isEmpty()).isFalse();
        GeneralName[] general = names.toGeneralNames().getNames();
        assertThat(general).hasSize(8);
        assertThat(general[0].getTagNo()).isEqualTo(GeneralName.dNSName);
        assertThat(general[3].getTagNo()).isEqualTo(GeneralName.uniformResourceIdentifier);
        assertThat(ASN1OctetString.getInstance(general[5].getName()).getOctets()).containsExactly(192, 0, 2, 10);
        assertThat(ASN1OctetString.getInstance(general[6].getName()).getOctets()).hasSize(16);
        assertThat(ASN1OctetString.getInstance(general[7].getName()).getOctets()).hasSize(16);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a..b", ".example.com", "example.com.", "-a.example.com", "a-.example.com",
            "a_b.example.com", "a.*.example.com", "*example.com", "gerät.example", "a b"})
    void refusesBadDnsNames(String name) {
        assertThatThrownBy(() -> SubjectAltNames.ofDns(name))
                .isInstanceOfSatisfying(InvalidAltNameException.class, e -> {
                    assertThat(e.nameType()).isEqualTo("DNS");
                    assertThat(e.value()).isEqualTo(name);
                });
    }

    @Test
    void refusesTooLongLabels() {
        assertThatThrownBy(() -> SubjectAltNames.ofDns("x".repeat(64) + ".example.com"))
                .hasMessageContaining("longer than 63");
    }

    @ParameterizedTest
    @ValueSource(strings = {"device-1", "/relative/path", "http://exa mple.com", "urn:gerät"})
    void refusesUrisWithoutSchemeOrWithBadCharacters(String uri) {
        assertThatThrownBy(() -> new SubjectAltNames(List.of(), List.of(uri), List.of()))
                .isInstanceOf(InvalidAltNameException.class).hasMessageContaining("URI \"" + uri + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "1.2.3", "01.2.3.4", "example.com", "1.2.3.4.5", "2001:db8::1::2", "fe80::1%eth0",
            "localhost"})
    void refusesBadIpLiteralsWithoutAskingDns(String ip) {
        assertThatThrownBy(() -> new SubjectAltNames(List.of(), List.of(), List.of(ip)))
                .isInstanceOf(InvalidAltNameException.class).hasMessageContaining("IP address \"" + ip + "\"");
    }
}
