package dev.keyline.bundle;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

/**
 * What one device's bundle holds: its certificate, its private key when the engine holds it, and the
 * chain above the certificate.
 *
 * <p>Checked on construction: the device id is a safe folder name ({@code [A-Za-z0-9:_-]{1,128}}),
 * {@code certificateDer} is the encoding of {@code certificate} (the ledger's certificate id is the
 * SHA-256 of these bytes, and they are what lands on disk), and the chain starts with the issuing CA.
 * {@code certificateDer} is not copied: do not modify it afterwards.
 *
 * @param deviceId       the device id; names the bundle folder
 * @param certificate    the device certificate
 * @param certificateDer its DER encoding
 * @param privateKey     the device key, or null when the key is not held: made on the device (CSR)
 *                       or kept in an HSM. Without a key, the bundle has no key file and no PKCS#12.
 * @param chain          the issuing CA first, then each certificate above it; at least one
 * @param keyReference   where the key is when the bundle does not hold it in the clear: kept in a token, or
 *                       wrapped for injection (the bundle then gets {@code device.key.json}, and
 *                       {@code device.key.wrapped}); empty otherwise. Never together with {@code privateKey}.
 */
public record DeviceBundle(String deviceId, X509Certificate certificate, byte[] certificateDer,
                           PrivateKey privateKey, List<X509Certificate> chain, Optional<KeyReference> keyReference) {

    public DeviceBundle {
        DeviceIds.requireValid(deviceId);
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(certificateDer, "certificateDer");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(keyReference, "keyReference");
        if (privateKey != null && keyReference.isPresent()) {
            throw new BundleWriteException(deviceId, "a bundle holds either the private key or a reference to it, not both");
        }
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new BundleWriteException(deviceId, "the chain is empty: it must hold at least the issuing CA certificate");
        }
        try {
            if (!Arrays.equals(certificate.getEncoded(), certificateDer)) {
                throw new BundleWriteException(deviceId, "certificateDer is not the encoding of certificate");
            }
        } catch (CertificateEncodingException e) {
            throw new BundleWriteException(deviceId, "the certificate cannot be encoded: " + e.getMessage(), e);
        }
        if (!sameName(certificate.getIssuerX500Principal(), chain.get(0).getSubjectX500Principal())) {
            throw new BundleWriteException(deviceId, "the chain must start with the issuing CA: certificate issuer is \""
                    + certificate.getIssuerX500Principal().getName() + "\" but the first chain certificate is \""
                    + chain.get(0).getSubjectX500Principal().getName() + "\"");
        }
    }

    /** A bundle whose key is in it ({@code privateKey}) or on the device (null). */
    public DeviceBundle(String deviceId, X509Certificate certificate, byte[] certificateDer, PrivateKey privateKey,
                        List<X509Certificate> chain) {
        this(deviceId, certificate, certificateDer, privateKey, chain, Optional.empty());
    }

    /** Equal encodings first (the usual case, and cheap); else X.500's comparison rules, which canonicalise both. */
    private static boolean sameName(X500Principal a, X500Principal b) {
        return Arrays.equals(a.getEncoded(), b.getEncoded()) || a.equals(b);
    }

    /** A bundle with the certificate's own encoding. */
    public static DeviceBundle of(String deviceId, X509Certificate certificate, PrivateKey privateKey,
                                  List<X509Certificate> chain) {
        try {
            return new DeviceBundle(deviceId, certificate, certificate.getEncoded(), privateKey, chain);
        } catch (CertificateEncodingException e) {
            throw new BundleWriteException(deviceId, "the certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** Whether the bundle carries the private key (and so gets a key file, and a PKCS#12 when asked). */
    public boolean holdsPrivateKey() {
        return privateKey != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceBundle b
                && deviceId.equals(b.deviceId)
                && Arrays.equals(certificateDer, b.certificateDer)
                && Objects.equals(privateKey, b.privateKey)
                && chain.equals(b.chain)
                && keyReference.equals(b.keyReference);
    }

    @Override
    public int hashCode() {
        return 31 * deviceId.hashCode() + Arrays.hashCode(certificateDer);
    }

    /** Names the device, certificate and chain; says only whether a key is held, never what it is. */
    @Override
    public String toString() {
        return "DeviceBundle[deviceId=" + deviceId
                + ", subject=" + certificate.getSubjectX500Principal().getName()
                + ", serial=" + certificate.getSerialNumber().toString(16)
                + ", privateKey=" + (privateKey == null ? "not held" : "held (" + privateKey.getAlgorithm() + ")")
                + keyReference.map(r -> ", keyReference=" + r).orElse("")
                + ", chain=" + chain.size() + " certificate(s)]";
    }
}
