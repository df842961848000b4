package dev.keyline.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.keyline.hsm.HsmConfig;
import dev.keyline.hsm.HsmPin;
import dev.keyline.hsm.KeptKey;
import dev.keyline.hsm.Pkcs11Token;
import dev.keyline.hsm.TokenDeviceKeys;
import dev.keyline.hsm.TokenKeyType;
import dev.keyline.hsm.WrapMechanism;
import dev.keyline.hsm.WrappedKey;
import dev.keyline.hsm.WrappingKey;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.TokenKeySource;

/**
 * Device key generation in a PKCS#11 token ({@code keyline run --keys hsm}), next to {@link KeyGenerationBenchmark}'s
 * software figures: {@code keep} makes token objects (and sets their CKA_ID), {@code wrap} makes session objects,
 * wraps the private key with CKM_AES_KEY_WRAP_PAD and destroys both. Kept keys are destroyed after each iteration so
 * the token does not grow across the run.
 *
 * <p>Needs a token: {@code benchmarks/run} makes a fresh SoftHSM2 one and passes its configuration in
 * {@code KEYLINE_BENCH_HSM} (with {@code SOFTHSM2_CONF}); a run without it fails this benchmark with that advice.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = "--add-exports=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED")
public class TokenKeyGenerationBenchmark {

    /** The label of the wrapping key benchmarks/run makes in the token. */
    public static final String WRAPPING_KEY = "bench-wrap";
    private static final String LABEL = "bench-device";

    @Param({"ec-p256", "rsa-2048"})
    public String key;

    @Param({"keep", "wrap"})
    public String mode;

    private Pkcs11Token token;
    private TokenDeviceKeys keys;
    private TokenKeyType type;
    private WrappingKey wrappingKey;

    @Setup(Level.Trial)
    public void setUp() {
        String config = System.getenv("KEYLINE_BENCH_HSM");
        if (config == null || !Files.isRegularFile(Path.of(config))) {
            throw new IllegalStateException("no token: run through benchmarks/run, which makes a SoftHSM2 token and sets "
                    + "KEYLINE_BENCH_HSM (and SOFTHSM2_CONF); or set them to a token with an AES key labelled " + WRAPPING_KEY);
        }
        HsmConfig hsm = HsmConfig.load(Path.of(config));
        token = Pkcs11Token.open(hsm, HsmPin.resolve(hsm, Map.of()));
        keys = token.deviceKeys();
        type = TokenKeySource.tokenKeyType(KeyAlgorithm.fromId(key));
        if (mode.equals("wrap")) {
            wrappingKey = keys.wrappingKey(WRAPPING_KEY, WrapMechanism.AES_KEY_WRAP_PAD);
        }
    }

    @TearDown(Level.Iteration)
    public void removeKeptKeys() {
        if (wrappingKey == null) {
            keys.destroyKeys(LABEL); // SoftHSM destroys in time linear in the token's objects: keep the token small
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        token.close();
    }

    @Benchmark
    public Object generate() {
        if (wrappingKey != null) {
            WrappedKey wrapped = keys.generateWrapped(type, LABEL, wrappingKey);
            return wrapped.publicKey();
        }
        KeptKey kept = keys.generateKept(type, LABEL);
        return kept.publicKey();
    }
}
