package dev.keyline.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeyIdentifiers;
import dev.keyline.keys.SoftwareKeySource;

/**
 * A key's own encoding goes into the certificate only when it is what Bouncy Castle's re-encoding gives; every
 * provider's keys are, and an encoding that is not is re-encoded.
 */
class PublicKeyInfoTest {

    @ParameterizedTest
    @EnumSource(value = CryptoProvider.class, names = {"BC", "JDK", "ACCP"})
    void everyProvidersKeysAreAlreadyWhatBouncyCastleWouldEncode(CryptoProvider provider) throws Exception {
        SoftwareKeySource keys = new SoftwareKeySource(provider);
        // RSA-3072 and 4096 keys are shaped as 2048's (lengths in the same long form) and slow to make in Java.
        for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P384, KeyAlgorithm.RSA_2048)) {
            PublicKey key = keys.generate(algorithm).getPublic();
            byte[] bc = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getEncoded(ASN1Encoding.DER);
            assertThat(key.getEncoded()).as(provider + " " + algorithm).isEqualTo(bc);
            assertThat(PublicKeyInfo.keyBitsIfCanonical(key.getEncoded())).as("taken as it is").isPositive();
            PublicKeyInfo info = PublicKeyInfo.of(key);
            assertThat(info.der()).isEqualTo(bc);
            assertThat(info.keyIdentifier()).isEqualTo(KeyIdentifiers.subjectKeyIdentifier(key));
        }
    }

    @Test
    void anEncodingThatIsNotDerIsReEncodedAsBouncyCastleDoes() throws Exception {
        PublicKey key = new SoftwareKeySource(CryptoProvider.BC).generate(KeyAlgorithm.EC_P256).getPublic();
        byte[] der = key.getEncoded(); // 30 59 30 13 ... 03 42 00 04 ...: every length in short form
        byte[] longForm = new byte[der.length + 1]; // the outer length as 81 59: valid BER, not DER
        longForm[0] = 0x30;
        longForm[1] = (byte) 0x81;
        System.arraycopy(der, 1, longForm, 2, der.length - 1);
        assertThat(PublicKeyInfo.keyBitsIfCanonical(longForm)).isEqualTo(-1);
        PublicKeyInfo info = PublicKeyInfo.of(longForm);
        assertThat(info.der()).isEqualTo(der);
        assertThat(info.keyIdentifier()).isEqualTo(KeyIdentifiers.subjectKeyIdentifier(key));
    }

    @Test
    void refusesOtherDeviationsFromDerAndBadInput() {
        byte[] der = new SoftwareKeySource(CryptoProvider.BC).generate(KeyAlgorithm.EC_P256).getPublic().getEncoded();
        byte[] trailing = Arrays.copyOf(der, der.length + 1);
        byte[] unusedBits = der.clone();
        unusedBits[der.length - 66] = 1; // the BIT STRING's unused-bits octet (65 key octets follow it)
        assertThat(der[der.length - 66]).isZero();
        assertThat(PublicKeyInfo.keyBitsIfCanonical(trailing)).isEqualTo(-1);
        assertThat(PublicKeyInfo.keyBitsIfCanonical(unusedBits)).isEqualTo(-1);
        assertThatThrownBy(() -> PublicKeyInfo.of(new byte[] {0x30, 0x03, 0x02, 0x01}))
                .isInstanceOf(IssuanceException.class).hasMessageContaining("not a SubjectPublicKeyInfo");
    }
}
