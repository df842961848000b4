package dev.keyline.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;

/**
 * The PKCS#8 built in Java is the provider's own, octet for octet, or is not used: ACCP's EC keys (whose encoding
 * this shortcut replaces) over thousands of keys, private values with leading zero octets among them; Bouncy
 * Castle's and the JDK's EC keys and RSA keys, which keep their provider's encoding.
 */
class PrivateKeyInfoEncoderTest {

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "EC_P384"})
    void accpKeysAreEncodedHereExactlyAsAccpEncodesThem(KeyAlgorithm algorithm) throws Exception {
        SoftwareKeySource keys = new SoftwareKeySource(CryptoProvider.ACCP);
        PrivateKeyInfoEncoder encoder = new PrivateKeyInfoEncoder();
        int octets = (algorithm.bits() + 7) / 8; // RFC 5915's length for the NIST curves: the order's octets
        int shortValues = 0;
        int made = 0;
        // Until several private values needed padding (1 in 256 has a leading zero octet), and at least 2,000 keys.
        while ((made < 2_000 || shortValues < 4) && made < 200_000) {
            KeyPair pair = keys.generate(algorithm);
            ECPrivateKey key = (ECPrivateKey) pair.getPrivate();
            byte[] encoded = encoder.encode(key, pair.getPublic().getEncoded());
            assertThat(encoded).as("key %d", made).isEqualTo(key.getEncoded());
            if (key.getS().bitLength() <= 8 * (octets - 1)) {
                shortValues++;
            }
            if (made == 0) {
                assertThat(encoder.encodesHere(key.getClass())).as("after the first key, which is compared").isTrue();
            }
            made++;
        }
        assertThat(shortValues).as("private values shorter than the field, among " + made + " keys").isGreaterThanOrEqualTo(4);
    }

    @Test
    void theBuiltEncodingReadsBackAsTheSameKeyInAnotherProvider() throws Exception {
        SoftwareKeySource keys = new SoftwareKeySource(CryptoProvider.ACCP);
        PrivateKeyInfoEncoder encoder = new PrivateKeyInfoEncoder();
        encoder.encode(keys.generate(KeyAlgorithm.EC_P256).getPrivate(), keys.generate(KeyAlgorithm.EC_P256).getPublic().getEncoded());
        KeyPair pair = keys.generate(KeyAlgorithm.EC_P256);
        byte[] built = encoder.encode(pair.getPrivate(), pair.getPublic().getEncoded());
        PrivateKey read = KeyFactory.getInstance("EC", "SunEC").generatePrivate(new PKCS8EncodedKeySpec(built));
        assertThat(((ECPrivateKey) read).getS()).isEqualTo(((ECPrivateKey) pair.getPrivate()).getS());
    }

    @ParameterizedTest
    @EnumSource(value = CryptoProvider.class, names = {"BC", "JDK"})
    void otherProvidersKeepTheirOwnEncoding(CryptoProvider provider) {
        SoftwareKeySource keys = new SoftwareKeySource(provider);
        PrivateKeyInfoEncoder encoder = new PrivateKeyInfoEncoder();
        for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P384)) {
            for (int i = 0; i < 3; i++) {
                KeyPair pair = keys.generate(algorithm);
                assertThat(encoder.encode(pair.getPrivate(), pair.getPublic().getEncoded()))
                        .isEqualTo(pair.getPrivate().getEncoded());
            }
        }
        KeyPair ec = keys.generate(KeyAlgorithm.EC_P256);
        assertThat(encoder.encodesHere(ec.getPrivate().getClass())).as("their shapes differ from AWS-LC's").isFalse();
        KeyPair rsa = keys.generate(KeyAlgorithm.RSA_2048);
        assertThat(encoder.encode(rsa.getPrivate(), rsa.getPublic().getEncoded())).isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void aPublicKeyInfoThatDoesNotFitTheShapeLeavesTheEncodingToTheProvider() throws Exception {
        SoftwareKeySource keys = new SoftwareKeySource(CryptoProvider.ACCP);
        PrivateKeyInfoEncoder encoder = new PrivateKeyInfoEncoder();
        KeyPair first = keys.generate(KeyAlgorithm.EC_P256);
        encoder.encode(first.getPrivate(), first.getPublic().getEncoded());
        assertThat(encoder.encodesHere(first.getPrivate().getClass())).isTrue();

        KeyPair pair = keys.generate(KeyAlgorithm.EC_P256);
        byte[] spki = pair.getPublic().getEncoded();
        // the same point compressed (02/03 || X): a shape the shortcut does not build
        X9ECParameters curve = SECNamedCurves.getByName("secp256r1");
        byte[] compressed = curve.getCurve().decodePoint(SubjectPublicKeyInfo.getInstance(spki).getPublicKeyData().getBytes())
                .getEncoded(true);
        byte[] compressedInfo = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                X9ObjectIdentifiers.prime256v1), compressed).getEncoded();
        assertThat(encoder.encode(pair.getPrivate(), compressedInfo)).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(encoder.encode(pair.getPrivate(), null)).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(encoder.encode(pair.getPrivate(), new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}))
                .isEqualTo(pair.getPrivate().getEncoded());
    }
}
