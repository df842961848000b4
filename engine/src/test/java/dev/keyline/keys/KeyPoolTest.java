package dev.keyline.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyPoolTest {

    private static final char[] PASS = "pool passphrase".toCharArray();

    @TempDir
    Path dir;

    @Test
    void keysComeOutOnceEachWorkingAndMatchingTheirPublicKeys() throws Exception {
        KeyPool pool = KeyPool.create(dir, KeyAlgorithm.EC_P256, PASS);
        new KeyPoolFiller(pool, new SoftwareKeySource(), 7).fill(30, 2, n -> { });
        assertThat(pool.status().readyKeys()).isEqualTo(30);

        PooledKeySource keys = new PooledKeySource(KeyPool.open(dir, PASS), new SoftwareKeySource());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            KeyPair pair = keys.generate(KeyAlgorithm.EC_P256);
            assertThat(seen.add(java.util.HexFormat.of().formatHex(pair.getPublic().getEncoded()))).isTrue();
            assertSigns(pair, "SHA256withECDSA");
        }
        assertThat(keys.fromPool()).isEqualTo(30);
        assertThat(pool.status().readyKeys()).isZero();
        assertThat(pool.status().claimedBatches()).as("used-up batches are deleted").isZero();

        keys.generate(KeyAlgorithm.EC_P256);
        keys.generate(KeyAlgorithm.EC_P384);
        assertThat(keys.madeLive()).as("a dry pool and another algorithm fall back to live keys").isEqualTo(2);
    }

    @Test
    void rsaKeysSurviveTheRoundTrip() throws Exception {
        KeyPool pool = KeyPool.create(dir, KeyAlgorithm.RSA_2048, PASS);
        new KeyPoolFiller(pool, new SoftwareKeySource(CryptoProvider.AUTO), 2).fill(3, 2, n -> { });
        PooledKeySource keys = new PooledKeySource(KeyPool.open(dir, PASS), new SoftwareKeySource());
        for (int i = 0; i < 3; i++) {
            assertSigns(keys.generate(KeyAlgorithm.RSA_2048), "SHA256withRSA");
        }
        assertThat(keys.fromPool()).isEqualTo(3);
    }

    @Test
    void concurrentConsumersNeverShareAKey() throws Exception {
        KeyPool pool = KeyPool.create(dir, KeyAlgorithm.EC_P256, PASS);
        new KeyPoolFiller(pool, new SoftwareKeySource(CryptoProvider.AUTO), 10).fill(400, 2, n -> { });
        PooledKeySource first = new PooledKeySource(KeyPool.open(dir, PASS), new SoftwareKeySource());
        PooledKeySource second = new PooledKeySource(KeyPool.open(dir, PASS), new SoftwareKeySource());
        List<String> all = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> jobs = new ArrayList<>();
        for (PooledKeySource source : List.of(first, second, first, second)) {
            jobs.add(threads.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    all.add(java.util.HexFormat.of().formatHex(source.generate(KeyAlgorithm.EC_P256).getPublic().getEncoded()));
                }
            }));
        }
        for (Future<?> job : jobs) {
            job.get();
        }
        threads.shutdown();
        assertThat(all).hasSize(400).doesNotHaveDuplicates();
        assertThat(first.fromPool() + second.fromPool()).isEqualTo(400);
    }

    @Test
    void aBatchClaimedByAProcessThatDiedIsNeverUsedAgain() throws Exception {
        KeyPool pool = KeyPool.create(dir, KeyAlgorithm.EC_P256, PASS);
        new KeyPoolFiller(pool, new SoftwareKeySource(), 5).fill(10, 1, n -> { });
        KeyPool.Batch abandoned = pool.claim().orElseThrow();
        abandoned.next(); // one key handed out, then the process "dies"

        PooledKeySource keys = new PooledKeySource(KeyPool.open(dir, PASS), new SoftwareKeySource());
        for (int i = 0; i < 10; i++) {
            keys.generate(KeyAlgorithm.EC_P256);
        }
        assertThat(keys.fromPool()).isEqualTo(5);
        assertThat(pool.status().claimedBatches()).isEqualTo(1);
        assertThat(pool.purgeClaimed()).isEqualTo(1);
        assertThat(pool.status().claimedBatches()).isZero();
    }

    @Test
    void wrongPassphraseAndMissingPoolAreClearErrors() {
        KeyPool.create(dir, KeyAlgorithm.EC_P256, PASS);
        assertThatThrownBy(() -> KeyPool.open(dir, "wrong".toCharArray()))
                .isInstanceOf(KeyPoolException.class).hasMessageContaining("passphrase does not open");
        assertThatThrownBy(() -> KeyPool.open(dir.resolve("nope"), PASS))
                .isInstanceOf(KeyPoolException.class).hasMessageContaining("keyline keypool fill");
        assertThatThrownBy(() -> KeyPool.create(dir, KeyAlgorithm.EC_P256, PASS))
                .isInstanceOf(KeyPoolException.class).hasMessageContaining("already exists");
    }

    @Test
    void keysAreEncryptedAtRest() throws Exception {
        KeyPool pool = KeyPool.create(dir, KeyAlgorithm.EC_P256, PASS);
        KeyPair pair = new SoftwareKeySource().generate(KeyAlgorithm.EC_P256);
        pool.addBatch(List.of(pair));
        byte[] secret = pair.getPrivate().getEncoded();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(file);
                assertThat(indexOf(content, java.util.Arrays.copyOfRange(secret, secret.length - 32, secret.length)))
                        .as("%s holds no plaintext key bytes", file).isEqualTo(-1);
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void assertSigns(KeyPair pair, String algorithm) throws Exception {
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(pair.getPrivate());
        signer.update("x".getBytes(StandardCharsets.US_ASCII));
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(pair.getPublic());
        verifier.update("x".getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(sig)).isTrue();
    }
}
