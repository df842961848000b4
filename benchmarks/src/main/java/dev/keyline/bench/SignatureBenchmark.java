package dev.keyline.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.operator.ContentSigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.keyline.ca.CaSigner;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;

/** The CA's raw signing rate through the CaSigner seam (a TBS-sized message), the ceiling for issuing. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SignatureBenchmark {

    @Param({"accp", "bc", "jdk"})
    public String provider;

    @Param({"ec-p256", "rsa-2048"})
    public String caKey;

    private CaSigner signer;
    private final byte[] tbs = new byte[420];

    @Setup
    public void setUp() {
        signer = BenchPki.rootCa(KeyAlgorithm.fromId(caKey), CryptoProvider.fromId(provider)).signer();
        ThreadLocalRandom.current().nextBytes(tbs);
    }

    @Benchmark
    public byte[] sign() throws IOException {
        ContentSigner contentSigner = signer.newContentSigner();
        try (OutputStream out = contentSigner.getOutputStream()) {
            out.write(tbs);
        }
        return contentSigner.getSignature();
    }
}
