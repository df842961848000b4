package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RFC5649WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;

import dev.keyline.hsm.testing.SoftHsm;

/** Independent checks of device keys made in a token: read back with pkcs11-tool, unwrapped with Bouncy Castle. */
final class HsmKeyChecks {

    private HsmKeyChecks() {
    }

    /** The token's key objects by label, as pkcs11-tool lists them. */
    static Map<String, List<SoftHsm.ListedObject>> keyObjectsByLabel(String token) {
        return SoftHsm.listObjects(token).stream().filter(o -> o.isPrivateKey() || o.isPublicKey())
                .collect(Collectors.groupingBy(SoftHsm.ListedObject::label));
    }

    /** The certificate's subjectKeyIdentifier in hex (what Keyline gives a kept key as CKA_ID). */
    static String ski(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return HexFormat.of().formatHex(SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension)
                .getOctets()).getKeyIdentifier());
    }

    /**
     * Unwraps an RFC 5649 ciphertext with Bouncy Castle (no code shared with the token) and returns the PKCS#8 at its
     * start; SoftHSM zero-pads the PKCS#8 to a multiple of 8 before wrapping, so up to 7 zero bytes may follow.
     */
    static byte[] unwrapPkcs8(byte[] wrapped, byte[] kek) throws InvalidCipherTextException, IOException {
        RFC5649WrapEngine engine = new RFC5649WrapEngine(AESEngine.newInstance());
        engine.init(false, new KeyParameter(kek));
        byte[] plain = engine.unwrap(wrapped, 0, wrapped.length);
        byte[] der;
        try (ASN1InputStream in = new ASN1InputStream(plain)) {
            der = in.readObject().getEncoded("DER");
        }
        assertThat(Arrays.copyOf(plain, der.length)).isEqualTo(der);
        assertThat(plain.length - der.length).isLessThan(8);
        for (int i = der.length; i < plain.length; i++) {
            assertThat(plain[i]).as("padding after the PKCS#8").isZero();
        }
        return der;
    }

    /** The private key signs a challenge that the certificate's public key verifies. */
    static void assertKeyBelongsTo(byte[] pkcs8, X509Certificate certificate) throws Exception {
        assertKeyBelongsTo(pkcs8, certificate, "the unwrapped key belongs to " + certificate.getSubjectX500Principal());
    }

    /** The private key (PKCS#8 DER) signs a challenge that the certificate's public key verifies; {@code what} names it. */
    static void assertKeyBelongsTo(byte[] pkcs8, X509Certificate certificate, String what) throws Exception {
        String algorithm = certificate.getPublicKey().getAlgorithm();
        PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        String signatureAlgorithm = algorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        Signature signer = Signature.getInstance(signatureAlgorithm);
        signer.initSign(key);
        signer.update("challenge".getBytes(StandardCharsets.US_ASCII));
        Signature verifier = Signature.getInstance(signatureAlgorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update("challenge".getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(signer.sign())).as(what).isTrue();
    }

    /**
     * The token's EC key with CKA_ID {@code id} signs (pkcs11-tool, raw ECDSA over our SHA-256) what the certificate
     * verifies. By id: pkcs11-tool 0.23's --sign does not select the key by --label.
     */
    static void assertTokenKeySignsFor(String token, String label, String id, X509Certificate certificate, Path dir)
            throws Exception {
        byte[] data = ("challenge for " + label).getBytes(StandardCharsets.UTF_8);
        Path in = dir.resolve(label + ".hash");
        Path out = dir.resolve(label + ".sig");
        Files.write(in, MessageDigest.getInstance("SHA-256").digest(data));
        SoftHsm.pkcs11Tool(token, "--sign", "--id", id, "--mechanism", "ECDSA", "--input-file", in.toString(),
                "--output-file", out.toString(), "--signature-format", "openssl");
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(data);
        assertThat(verifier.verify(Files.readAllBytes(out))).as("the token key " + label + " belongs to its certificate")
                .isTrue();
    }
}
