package dev.keyline.bundle;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A root CA, an issuing CA under it, and device certificates under that, made with Bouncy Castle's
 * builders and the JDK's providers (the x509 package is written elsewhere).
 */
final class TestPki {

    static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair rootKeys = ec();
    private final X509Certificate root;
    private final KeyPair issuingKeys = ec();
    private final X509Certificate issuing;

    TestPki() {
        root = sign(new X500Principal("CN=Keyline Test Root,O=Keyline"), rootKeys.getPublic(),
                new X500Principal("CN=Keyline Test Root,O=Keyline"), rootKeys.getPrivate(), true);
        issuing = sign(new X500Principal("CN=Keyline Test Issuing CA,O=Keyline"), issuingKeys.getPublic(),
                root.getSubjectX500Principal(), rootKeys.getPrivate(), true);
    }

    /** Issuing CA first, then the root. */
    List<X509Certificate> chain() {
        return List.of(issuing, root);
    }

    X509Certificate root() {
        return root;
    }

    DeviceBundle device(String id) {
        return device(id, ec());
    }

    DeviceBundle rsaDevice(String id) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return device(id, generator.generateKeyPair());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A device whose key stays on the device (CSR) or in an HSM. */
    DeviceBundle deviceWithoutKey(String id) {
        DeviceBundle withKey = device(id);
        return new DeviceBundle(id, withKey.certificateDer(), null, withKey.chain());
    }

    private DeviceBundle device(String id, KeyPair keys) {
        X509Certificate certificate = sign(new X500Principal("CN=" + id + ",O=Keyline Devices"), keys.getPublic(),
                issuing.getSubjectX500Principal(), issuingKeys.getPrivate(), false);
        return DeviceBundle.of(id, certificate, keys.getPrivate(), chain());
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code key} is the private half of the certificate's key: sign with one, verify with the other. */
    static boolean keyMatches(PrivateKey key, X509Certificate certificate) throws Exception {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] message = "proof of possession".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(message);
        byte[] signature = signer.sign();
        PublicKey publicKey = certificate.getPublicKey();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(message);
        return verifier.verify(signature);
    }

    static Path passphraseFile(Path directory) throws Exception {
        Path file = directory.resolve("passphrase.txt");
        Files.writeString(file, new String(PASSPHRASE) + "\n");
        return file;
    }

    private static X509Certificate sign(X500Principal subject, PublicKey subjectKey, X500Principal issuer,
                                        PrivateKey issuerKey, boolean ca) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(64, RANDOM).setBit(63), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(1))), subject, subjectKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
