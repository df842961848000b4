package dev.keyline.ca;

import java.io.OutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import dev.keyline.keys.CryptoProviders;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;

/**
 * CA certificates for the tests of the ca packages, made with plain Bouncy Castle so these tests do not
 * depend on the x509 package above them, and a signature made and checked through a {@link CaSigner}.
 */
public final class TestCas {

    public static final SoftwareKeySource KEYS = new SoftwareKeySource();

    private TestCas() {
    }

    public static KeyPair p256() {
        return KEYS.generate(KeyAlgorithm.EC_P256);
    }

    public static X509Certificate selfSigned(String dn, KeyPair pair, boolean ca, Instant notBefore, Duration validity) {
        try {
            X500Name name = new X500Name(dn);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()),
                    Date.from(notBefore), Date.from(notBefore.plus(validity)), name, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            String algorithm = pair.getPublic().getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(algorithm).setProvider(CryptoProviders.bc()).build(pair.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static X509Certificate root(String dn, KeyPair pair) {
        return selfSigned(dn, pair, true, Instant.now().minusSeconds(60), Duration.ofDays(365));
    }

    /** Signs {@code data} through the signer's content signer, as certificate building does. */
    public static byte[] sign(CaSigner signer, byte[] data) throws Exception {
        ContentSigner contentSigner = signer.newContentSigner();
        try (OutputStream out = contentSigner.getOutputStream()) {
            out.write(data);
        }
        return contentSigner.getSignature();
    }

    /** Checks a signature with the JDK's own providers (SunEC / SunRsaSign), not the signer's. */
    public static boolean verify(CaSigner signer, byte[] data, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance(signer.signatureAlgorithm());
        verifier.initVerify(signer.publicKey());
        verifier.update(data);
        return verifier.verify(signature);
    }
}
