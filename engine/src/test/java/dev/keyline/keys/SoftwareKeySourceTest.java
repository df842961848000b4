package dev.keyline.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** RSA-3072 and RSA-4096 generation is exercised by the issuer tests (one key each: they are slow). */
class SoftwareKeySourceTest {

    private final SoftwareKeySource keys = new SoftwareKeySource();

    @Test
    void generatesKeysOfTheRequestedAlgorithmThatSign() throws Exception {
        for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P384, KeyAlgorithm.RSA_2048)) {
            KeyPair pair = keys.generate(algorithm);
            assertThat(KeyAlgorithm.of(pair.getPublic())).contains(algorithm);
            String name = algorithm.isEc() ? "SHA256withECDSA" : "SHA256withRSA";
            Signature signer = Signature.getInstance(name);
            signer.initSign(pair.getPrivate());
            signer.update(new byte[] {1, 2, 3});
            Signature verifier = Signature.getInstance(name); // the JDK's provider, not BC
            verifier.initVerify(pair.getPublic());
            verifier.update(new byte[] {1, 2, 3});
            assertThat(verifier.verify(signer.sign())).as(algorithm.id()).isTrue();
        }
    }

    @Test
    void rsaKeysUseTheStandardPublicExponent() {
        RSAPublicKey key = (RSAPublicKey) keys.generate(KeyAlgorithm.RSA_2048).getPublic();
        assertThat(key.getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
    }

    @Test
    void generatesDistinctKeysFromSeveralThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<KeyPair>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    List<KeyPair> pairs = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        pairs.add(keys.generate(KeyAlgorithm.EC_P256));
                    }
                    return pairs;
                }));
            }
            Set<BigInteger> publicKeys = new HashSet<>();
            for (Future<List<KeyPair>> f : futures) {
                for (KeyPair pair : f.get()) {
                    publicKeys.add(new BigInteger(1, pair.getPublic().getEncoded()));
                }
            }
            assertThat(publicKeys).hasSize(400);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void providerIsOneSharedInstance() {
        assertThat(CryptoProviders.bc()).isSameAs(CryptoProviders.bc());
        assertThat(CryptoProviders.bc().getName()).isEqualTo("BC");
    }
}
