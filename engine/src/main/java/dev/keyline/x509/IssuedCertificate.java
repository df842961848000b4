package dev.keyline.x509;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import dev.keyline.digest.Sha256;

/**
 * A certificate as issued: its DER and the fields callers need, known from issuing it, so nobody has to parse it.
 * {@link #x509()} parses it for the few callers that need an {@code X509Certificate}.
 *
 * @param der           the DER encoding; the array is shared (not copied, this is the hot path): do not modify it
 * @param certificateId lowercase hex SHA-256 of the DER: AWS IoT's certificateId and the sha256 fingerprint
 * @param notBefore     whole seconds, as in the certificate
 * @param notAfter      whole seconds, as in the certificate
 */
public record IssuedCertificate(byte[] der, BigInteger serial, String certificateId, Instant notBefore,
                                Instant notAfter) {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Sha256::newDigest);

    public IssuedCertificate {
        Objects.requireNonNull(der, "der");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(certificateId, "certificateId");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
    }

    /** Lowercase hex SHA-256 of the DER encoding. */
    public static String certificateId(byte[] der) {
        // The JDK's SHA-256 (CPU instructions where there are) rather than Bouncy Castle's Java one: the hot path.
        return HexFormat.of().formatHex(SHA256.get().digest(der));
    }

    /**
     * The serial number in lowercase hex without leading zeros, as {@code serial().toString(16)} writes it, without
     * its repeated division (1.3% of a worker's Java time under C1).
     */
    public String serialHex() {
        String hex = HexFormat.of().formatHex(serial.toByteArray());
        int first = 0;
        while (first < hex.length() - 1 && hex.charAt(first) == '0') {
            first++;
        }
        return hex.substring(first);
    }

    /**
     * The certificate parsed, afresh on each call: for callers that need an {@code X509Certificate} (a verification
     * certificate, a test), not for the issuing path.
     *
     * @throws IssuanceException when the DER does not parse
     */
    public X509Certificate x509() {
        return Certificates.fromDer(der);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IssuedCertificate other && Arrays.equals(der, other.der);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "IssuedCertificate[serial " + serial.toString(16) + ", certificateId " + certificateId
                + ", notBefore " + notBefore + ", notAfter " + notAfter + "]";
    }
}
