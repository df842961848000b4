package dev.keyline.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.junit.jupiter.api.Test;

import dev.keyline.keys.KeyAlgorithm;

class SoftwareCaSignerTest {

    private static final KeyPair P256 = TestCas.KEYS.generate(KeyAlgorithm.EC_P256);
    private static final KeyPair P384 = TestCas.KEYS.generate(KeyAlgorithm.EC_P384);
    private static final KeyPair RSA = TestCas.KEYS.generate(KeyAlgorithm.RSA_2048);

    @Test
    void choosesTheSignatureAlgorithmByKeyType() {
        assertThat(new SoftwareCaSigner(P256.getPrivate(), P256.getPublic()).signatureAlgorithm()).isEqualTo("SHA256withECDSA");
        assertThat(new SoftwareCaSigner(P384.getPrivate(), P384.getPublic()).signatureAlgorithm()).isEqualTo("SHA384withECDSA");
        assertThat(new SoftwareCaSigner(RSA.getPrivate(), RSA.getPublic()).signatureAlgorithm()).isEqualTo("SHA256withRSA");
    }

    @Test
    void takesADigestChoice() {
        assertThat(new SoftwareCaSigner(RSA.getPrivate(), RSA.getPublic(), "SHA-512").signatureAlgorithm())
                .isEqualTo("SHA512withRSA");
        assertThat(new SoftwareCaSigner(P256.getPrivate(), P256.getPublic()).withDigest("SHA-384").signatureAlgorithm())
                .isEqualTo("SHA384withECDSA");
        assertThatThrownBy(() -> new SoftwareCaSigner(P256.getPrivate(), P256.getPublic(), "MD5"))
                .isInstanceOf(CaException.class).hasMessageContaining("MD5").hasMessageContaining("SHA-256, SHA-384, SHA-512");
    }

    @Test
    void signaturesVerifyWithTheJdksOwnProviders() throws Exception {
        for (KeyPair pair : List.of(P256, P384, RSA)) {
            SoftwareCaSigner signer = new SoftwareCaSigner(pair.getPrivate(), pair.getPublic());
            for (int i = 0; i < 3; i++) { // the per-thread Signature is reused: each signature must stand alone
                byte[] data = ("message " + i).getBytes();
                assertThat(TestCas.verify(signer, data, TestCas.sign(signer, data))).as(signer.signatureAlgorithm()).isTrue();
            }
        }
    }

    @Test
    void algorithmIdentifierNamesTheAlgorithm() {
        SoftwareCaSigner signer = new SoftwareCaSigner(P384.getPrivate(), P384.getPublic());
        assertThat(new DefaultAlgorithmNameFinder().getAlgorithmName(signer.newContentSigner().getAlgorithmIdentifier()))
                .isEqualTo("SHA384WITHECDSA");
    }

    @Test
    void anAbandonedContentSignerDoesNotSpoilTheNextSignature() throws Exception {
        SoftwareCaSigner signer = new SoftwareCaSigner(P256.getPrivate(), P256.getPublic());
        ContentSigner abandoned = signer.newContentSigner();
        abandoned.getOutputStream().write("half a certificate".getBytes());
        byte[] data = "the real one".getBytes();
        assertThat(TestCas.verify(signer, data, TestCas.sign(signer, data))).isTrue();
    }

    @Test
    void interleavedContentSignersOnOneThreadStayIndependent() throws Exception {
        SoftwareCaSigner signer = new SoftwareCaSigner(RSA.getPrivate(), RSA.getPublic());
        ContentSigner first = signer.newContentSigner();
        ContentSigner second = signer.newContentSigner();
        first.getOutputStream().write("one".getBytes());
        second.getOutputStream().write("two".getBytes());
        assertThat(TestCas.verify(signer, "two".getBytes(), second.getSignature())).isTrue();
        assertThat(TestCas.verify(signer, "one".getBytes(), first.getSignature())).isTrue();
    }

    @Test
    void signsConcurrentlyFromSeveralThreads() throws Exception {
        SoftwareCaSigner signer = new SoftwareCaSigner(P256.getPrivate(), P256.getPublic());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    boolean all = true;
                    for (int i = 0; i < 100; i++) {
                        byte[] data = ("t" + thread + "-" + i).getBytes();
                        all &= TestCas.verify(signer, data, TestCas.sign(signer, data));
                    }
                    return all;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void toStringNeverShowsTheKey() {
        SoftwareCaSigner signer = new SoftwareCaSigner(RSA.getPrivate(), RSA.getPublic());
        String privateExponent = ((java.security.interfaces.RSAPrivateKey) RSA.getPrivate()).getPrivateExponent().toString(16);
        assertThat(signer.toString()).contains("redacted").doesNotContain(privateExponent.substring(0, 16));
    }

    @Test
    void refusesUnsupportedKeys() throws Exception {
        java.security.KeyPairGenerator ed = java.security.KeyPairGenerator.getInstance("Ed25519");
        KeyPair pair = ed.generateKeyPair();
        assertThatThrownBy(() -> new SoftwareCaSigner(pair.getPrivate(), pair.getPublic()))
                .isInstanceOf(CaException.class).hasMessageContaining("unsupported CA key");
    }
}
