package dev.keyline.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.SoftwareCaSigner;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.x509.CaCertificateBuilder;
import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.IssuanceRequest;
import dev.keyline.x509.IssuedCertificate;
import dev.keyline.x509.Issuer;
import dev.keyline.x509.SubjectName;

/** Device CAs and device certificates made with Keyline's own x509 classes, for registration tests. */
final class TestIdentities {

    static final SoftwareKeySource KEYS = new SoftwareKeySource();

    private final CertificateAuthority ca;
    private final Issuer issuer;
    private final KeyPair deviceKey = KEYS.generate(KeyAlgorithm.EC_P256); // one key for all: signing is what is tested

    TestIdentities(String caSubject) {
        KeyPair pair = KEYS.generate(KeyAlgorithm.EC_P256);
        X509Certificate certificate = CaCertificateBuilder.root(SubjectName.parse(caSubject), pair).validity(Duration.ofDays(365)).build();
        this.ca = new CertificateAuthority(certificate, List.of(), new SoftwareCaSigner(pair.getPrivate(), pair.getPublic()));
        this.issuer = new Issuer(ca, CertificateProfile.defaults());
    }

    CertificateAuthority ca() {
        return ca;
    }

    String caPem() {
        return pem(ca.certificate());
    }

    IssuedCertificate issue(String deviceId) {
        return issuer.issue(new IssuanceRequest(SubjectName.parse("/O=Keyline Test/CN=" + deviceId), deviceKey.getPublic()));
    }

    /** A device identity issued by this CA, named after the device, carrying the CA's PEM. */
    DeviceIdentity device(String deviceId) {
        return device(deviceId, Optional.empty(), Map.of());
    }

    DeviceIdentity device(String deviceId, Optional<String> thingType, Map<String, String> attributes) {
        IssuedCertificate issued = issue(deviceId);
        return new DeviceIdentity(deviceId, deviceId, thingType, attributes, issued.der(), issued.certificateId(), Optional.of(caPem()));
    }

    /** Checks with the JDK's PKIX validator and openssl that the device certificate chains to this CA. */
    void verifyIndependently(DeviceIdentity device, Path tmp) {
        X509Certificate leaf = IndependentVerifier.readCertificate(write(tmp.resolve(device.deviceId() + ".pem"), device.certificatePem()));
        IndependentVerifier.validateWithJdk(leaf, List.of(), ca.certificate());
        Path root = write(tmp.resolve("ca.pem"), caPem());
        IndependentVerifier.verifyWithOpenSsl(root, null, List.of(tmp.resolve(device.deviceId() + ".pem")));
    }

    /** AWS's DEFAULT-mode proof of possession: a certificate with CN = registration code, signed by the CA key. */
    String verificationCertificatePem(String registrationCode) {
        try {
            KeyPair key = KEYS.generate(KeyAlgorithm.EC_P256);
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(new X500Name(ca.certificate().getSubjectX500Principal().getName()),
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))),
                    new X500Name("CN=" + registrationCode), key.getPublic());
            return pem(new JcaX509CertificateConverter().getCertificate(builder.build(ca.signer().newContentSigner())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
