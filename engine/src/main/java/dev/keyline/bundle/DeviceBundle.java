package dev.keyline.bundle;

import java.io.ByteArrayInputStream;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
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
 * <p>The certificate is its DER, as issued: writing a bundle needs nothing else (PEM and PKCS#12 both take the
 * DER), so nothing parses it on the way; {@link #x509()} does for callers that need an {@code X509Certificate}.
 *
 * <p>Checked on construction: the device id is a safe folder name ({@code [A-Za-z0-9:_-]{1,128}}),
 * {@code certificateDer} has the outline of a certificate (read in place, see {@link CertificateFields}), and the
 * chain starts with the issuing CA: the certificate's issuer is the first chain certificate's subject.
 * {@code certificateDer} is not copied: do not modify it afterwards.
 *
 * @param deviceId       the device id; names the bundle folder
 * @param certificateDer the device certificate's DER encoding (the ledger's certificate id is the SHA-256 of
 *                       these bytes, and they are what lands on disk)
 * @param privateKey     the device key, or null when the key is not held: made on the device (CSR)
 *                       or kept in an HSM. Without a key, the bundle has no key file and no PKCS#12.
 * @param chain          the issuing CA first, then each certificate above it; at least one
 * @param keyReference   where the key is when the bundle does not hold it in the clear: kept in a token, or
 *                       wrapped for injection (the bundle then gets {@code device.key.json}, and
 *                       {@code device.key.wrapped}); empty otherwise. Never together with {@code privateKey}.
 */
public record DeviceBundle(String deviceId, byte[] certificateDer, PrivateKey privateKey,
                           List<X509Certificate> chain, Optional<KeyReference> keyReference) {

    public DeviceBundle {
        DeviceIds.requireValid(deviceId);
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
        CertificateFields fields = fields(deviceId, certificateDer);
        X500Principal caSubject = chain.get(0).getSubjectX500Principal();
        if (!sameName(fields.issuer(), caSubject)) {
            throw new BundleWriteException(deviceId, "the chain must start with the issuing CA: certificate issuer is \""
                    + name(fields.issuer()) + "\" but the first chain certificate is \""
                    + caSubject.getName() + "\"");
        }
    }

    /** A bundle whose key is in it ({@code privateKey}) or on the device (null). */
    public DeviceBundle(String deviceId, byte[] certificateDer, PrivateKey privateKey, List<X509Certificate> chain) {
        this(deviceId, certificateDer, privateKey, chain, Optional.empty());
    }

    /** The device's public key as its certificate carries it (SubjectPublicKeyInfo, DER): the key pair's. */
    public byte[] subjectPublicKeyInfo() {
        return fields(deviceId, certificateDer).subjectPublicKeyInfo();
    }

    private static CertificateFields fields(String deviceId, byte[] certificateDer) {
        try {
            return CertificateFields.read(certificateDer);
        } catch (IllegalArgumentException e) {
            throw new BundleWriteException(deviceId, "certificateDer is not a DER certificate: " + e.getMessage(), e);
        }
    }

    /** Equal encodings first (the usual case, and cheap); else X.500's comparison rules, which canonicalise both. */
    private static boolean sameName(byte[] issuer, X500Principal caSubject) {
        if (Arrays.equals(issuer, caSubject.getEncoded())) {
            return true;
        }
        try {
            return new X500Principal(issuer).equals(caSubject);
        } catch (IllegalArgumentException e) {
            return false; // an issuer that is no Name is no CA's subject
        }
    }

    /** A name's RFC 2253 string, for messages; never throws. */
    private static String name(byte[] der) {
        try {
            return new X500Principal(der).getName();
        } catch (IllegalArgumentException e) {
            return "(not an X.500 name)";
        }
    }

    /** A bundle with the certificate's own encoding. */
    public static DeviceBundle of(String deviceId, X509Certificate certificate, PrivateKey privateKey,
                                  List<X509Certificate> chain) {
        try {
            return new DeviceBundle(deviceId, certificate.getEncoded(), privateKey, chain);
        } catch (CertificateEncodingException e) {
            throw new BundleWriteException(deviceId, "the certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * The certificate parsed, afresh on each call (with the JDK's factory): for callers that need an
     * {@code X509Certificate}, not for writing the bundle.
     *
     * @throws BundleWriteException when the DER does not parse
     */
    public X509Certificate x509() {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificateDer));
        } catch (CertificateException e) {
            throw new BundleWriteException(deviceId, "the certificate does not parse: " + e.getMessage(), e);
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
        String certificate;
        try {
            CertificateFields fields = CertificateFields.read(certificateDer);
            certificate = ", subject=" + name(fields.subject()) + ", serial=" + fields.serial().toString(16);
        } catch (IllegalArgumentException e) { // read when made, so only if the array was changed since
            certificate = ", certificate unreadable";
        }
        return "DeviceBundle[deviceId=" + deviceId
                + certificate
                + ", privateKey=" + (privateKey == null ? "not held" : "held (" + privateKey.getAlgorithm() + ")")
                + keyReference.map(r -> ", keyReference=" + r).orElse("")
                + ", chain=" + chain.size() + " certificate(s)]";
    }
}
