package dev.keyline.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyAlgorithmTest {

    @Test
    void idsAreTheDocumentedOnes() {
        assertThat(KeyAlgorithm.values()).extracting(KeyAlgorithm::id)
                .containsExactly("ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096");
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void fromIdFindsEveryAlgorithmInAnyCase(KeyAlgorithm algorithm) {
        assertThat(KeyAlgorithm.fromId(algorithm.id())).isSameAs(algorithm);
        assertThat(KeyAlgorithm.fromId(" " + algorithm.id().toUpperCase() + " ")).isSameAs(algorithm);
    }

    @Test
    void unknownIdIsRefusedNamingTheValueAndListingValidIds() {
        assertThatThrownBy(() -> KeyAlgorithm.fromId("ed25519"))
                .isInstanceOf(UnknownKeyAlgorithmException.class)
                .isInstanceOfSatisfying(UnknownKeyAlgorithmException.class,
                        e -> assertThat(e.kind()).isEqualTo(dev.keyline.error.KeylineException.Kind.CONFIGURATION))
                .hasMessageContaining("\"ed25519\"")
                .hasMessageContaining("ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096");
        assertThatThrownBy(() -> KeyAlgorithm.fromId(null)).isInstanceOf(UnknownKeyAlgorithmException.class);
    }

    @Test
    void onlyEcAlgorithmsAreEc() {
        assertThat(KeyAlgorithm.EC_P256.isEc()).isTrue();
        assertThat(KeyAlgorithm.EC_P384.isEc()).isTrue();
        assertThat(KeyAlgorithm.RSA_2048.isEc()).isFalse();
    }

    @Test
    void recognisesEcKeysFromBouncyCastleAndTheJdk() throws Exception {
        SoftwareKeySource bc = new SoftwareKeySource();
        assertThat(KeyAlgorithm.of(bc.generate(KeyAlgorithm.EC_P256).getPublic())).contains(KeyAlgorithm.EC_P256);
        assertThat(KeyAlgorithm.of(bc.generate(KeyAlgorithm.EC_P384).getPublic())).contains(KeyAlgorithm.EC_P384);
        assertThat(KeyAlgorithm.of(jdkEc("secp256r1"))).contains(KeyAlgorithm.EC_P256);
        assertThat(KeyAlgorithm.of(jdkEc("secp384r1"))).contains(KeyAlgorithm.EC_P384);
    }

    @Test
    void recognisesRsaKeysByModulusSize() throws Exception {
        assertThat(KeyAlgorithm.of(rsaOfSize(2048))).contains(KeyAlgorithm.RSA_2048);
        assertThat(KeyAlgorithm.of(rsaOfSize(3072))).contains(KeyAlgorithm.RSA_3072);
        assertThat(KeyAlgorithm.of(rsaOfSize(4096))).contains(KeyAlgorithm.RSA_4096);
    }

    @Test
    void unsupportedKeysGiveEmpty() throws Exception {
        assertThat(KeyAlgorithm.of(jdkEc("secp521r1"))).isEmpty();
        assertThat(KeyAlgorithm.of(rsaOfSize(1024))).isEmpty();
        assertThat(KeyAlgorithm.of(rsaOfSize(2047))).isEmpty();
        KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
        assertThat(KeyAlgorithm.of(ed.generateKeyPair().getPublic())).isEmpty();
    }

    @Test
    void aNamedCurveKeyInfoSaysItsAlgorithmAsTheKeyDoes() throws Exception {
        for (CryptoProvider provider : List.of(CryptoProvider.ACCP, CryptoProvider.BC, CryptoProvider.JDK)) {
            SoftwareKeySource keys = new SoftwareKeySource(provider);
            for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P384)) {
                PublicKey key = keys.generate(algorithm).getPublic();
                assertThat(KeyAlgorithm.ofNamedCurveKeyInfo(key.getEncoded())).as(provider.id()).contains(algorithm)
                        .isEqualTo(KeyAlgorithm.of(key));
            }
        }
    }

    @Test
    void otherKeyInfosAreLeftToTheKey() throws Exception {
        assertThat(KeyAlgorithm.ofNamedCurveKeyInfo(jdkEc("secp521r1").getEncoded())).isEmpty();
        assertThat(KeyAlgorithm.ofNamedCurveKeyInfo(rsaOfSize(2048).getEncoded())).isEmpty();
        // the P-256 identifier cut short, a truncated header, nothing at all
        byte[] p256 = jdkEc("secp256r1").getEncoded();
        assertThat(KeyAlgorithm.ofNamedCurveKeyInfo(Arrays.copyOf(p256, 20))).isEmpty();
        assertThat(KeyAlgorithm.ofNamedCurveKeyInfo(new byte[] {0x30})).isEmpty();
        assertThat(KeyAlgorithm.ofNamedCurveKeyInfo(new byte[0])).isEmpty();
        assertThat(KeyAlgorithm.ofNamedCurveKeyInfo(null)).isEmpty();
        // explicit curve parameters: the key decides, by its order
        PublicKey explicit = explicitParameters(jdkEc("secp256r1"));
        assertThat(KeyAlgorithm.ofNamedCurveKeyInfo(explicit.getEncoded())).isEmpty();
        assertThat(KeyAlgorithm.of(explicit)).contains(KeyAlgorithm.EC_P256);
    }

    /** The same public key with the curve spelled out instead of named (X9.62 ECParameters). */
    private static PublicKey explicitParameters(PublicKey named) throws Exception {
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(named.getEncoded());
        X9ECParameters curve = SECNamedCurves.getByName("secp256r1");
        byte[] encoded = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve),
                info.getPublicKeyData().getBytes()).getEncoded();
        return KeyFactory.getInstance("EC", new BouncyCastleProvider()).generatePublic(new X509EncodedKeySpec(encoded));
    }

    private static PublicKey jdkEc(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair().getPublic();
    }

    /** A public key object with a modulus of this size; not a real key, which is all {@code of} needs. */
    private static PublicKey rsaOfSize(int bits) throws Exception {
        BigInteger modulus = BigInteger.ONE.shiftLeft(bits - 1).setBit(0);
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, RSAKeyGenParameterSpec.F4));
    }
}
