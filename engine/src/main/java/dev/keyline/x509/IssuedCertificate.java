package dev.keyline.x509;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A certificate as issued.
 *
 * @param der           the DER encoding; the array is shared (not copied, this is the hot path): do not modify it
 * @param certificateId lowercase hex SHA-256 of the DER: AWS IoT's certificateId and the sha256 fingerprint
 */
public record IssuedCertificate(X509Certificate certificate, byte[] der, BigInteger serial, String certificateId) {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    });

    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(der, "der");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(certificateId, "certificateId");
    }

    /** Computes the serial and certificateId from the certificate and its DER. */
    public static IssuedCertificate of(X509Certificate certificate, byte[] der) {
        return new IssuedCertificate(certificate, der, certificate.getSerialNumber(), certificateId(der));
    }

    /** Lowercase hex SHA-256 of the DER encoding. */
    public static String certificateId(byte[] der) {
        // The JDK's SHA-256 (CPU instructions where there are) rather than Bouncy Castle's Java one: the hot path.
        return HexFormat.of().formatHex(SHA256.get().digest(der));
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
        return "IssuedCertificate[" + certificate.getSubjectX500Principal().getName() + ", serial " + serial.toString(16)
                + ", certificateId " + certificateId + "]";
    }
}
