package dev.keyline.x509;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.function.Supplier;

import dev.keyline.keys.CryptoProviders;

/**
 * Certificate serial numbers: 20 random bytes with the top bit cleared, so 159 bits from a CSPRNG
 * (CA/Browser Forum asks for at least 64, AWS IoT for uniqueness), always positive and at most 20
 * octets in DER as RFC 5280 requires. Never zero.
 *
 * <p>Thread-safe and lock-free: each thread draws from its own DRBG.
 */
public final class SerialNumbers {

    public static final int BYTES = 20;

    private final Supplier<SecureRandom> random;

    public SerialNumbers() {
        this(CryptoProviders::threadRandom);
    }

    /** @param random gives the calling thread a CSPRNG it may use (called once per serial) */
    public SerialNumbers(Supplier<SecureRandom> random) {
        this.random = random;
    }

    public BigInteger next() {
        byte[] bytes = new byte[BYTES];
        SecureRandom r = random.get();
        BigInteger serial;
        do {
            r.nextBytes(bytes);
            bytes[0] &= 0x7f;
            serial = new BigInteger(1, bytes);
        } while (serial.signum() == 0);
        return serial;
    }
}
