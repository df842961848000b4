package dev.keyline.x509;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.util.encoders.Hex;

/**
 * A certificate as issued.
 *
 * @param der           the DER encoding; the array is shared (not copied, this is the hot path): do not modify it
 * @param certificateId lowercase hex SHA-256 of the DER: AWS IoT's certificateId and the sha256 fingerprint
 */
public record IssuedCertificate(X509Certificate certificate, byte[] der, BigInteger serial, String certificateId) {

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
        SHA256Digest sha256 = new SHA256Digest();
        sha256.update(der, 0, der.length);
        byte[] out = new byte[32];
        sha256.doFinal(out, 0);
        return Hex.toHexString(out);
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
