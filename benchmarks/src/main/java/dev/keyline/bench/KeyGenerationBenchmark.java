package dev.keyline.bench;

import java.security.KeyPair;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;

/** Device key generation per algorithm and provider, through the engine's KeySource. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KeyGenerationBenchmark {

    @Param({"accp", "bc", "jdk"})
    public String provider;

    @Param({"ec-p256", "ec-p384", "rsa-2048"})
    public String key;

    private SoftwareKeySource keys;
    private KeyAlgorithm algorithm;

    @Setup
    public void setUp() {
        keys = new SoftwareKeySource(CryptoProvider.fromId(provider));
        algorithm = KeyAlgorithm.fromId(key);
    }

    @Benchmark
    public KeyPair generate() {
        return keys.generate(algorithm);
    }
}
