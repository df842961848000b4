package dev.keyline.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.keyline.hsm.testing.SoftHsm;

@Tag("full")
class TokenKeysTest {

    @TempDir
    static Path dir;
    static Pkcs11Token token;

    @BeforeAll
    static void open() throws IOException {
        SoftHsm.get();
        HsmConfig config = HsmConfig.load(SoftHsm.writeConfig(dir, "keys", "token-label: " + SoftHsm.TOKEN, SoftHsm.USER_PIN));
        token = Pkcs11Token.open(config, HsmPin.resolve(config, Map.of()));
    }

    @AfterAll
    static void close() {
        token.close();
    }

    @ParameterizedTest
    @EnumSource(TokenKeyType.class)
    void generatesEachKeyTypeAndItsContentSignerSignaturesVerifyWithTheJdk(TokenKeyType type) throws Exception {
        KeySpec spec = new KeySpec(type, "gen-" + type, new byte[] {1, (byte) type.ordinal()}, false, true, false);
        TokenKey key = token.generate(spec);
        assertThat(key.publicKey().getAlgorithm()).isEqualTo(type.jcaName());
        assertThat(key.attributes()).isEqualTo(new KeyAttributes(false, true, false));

        byte[] data = ("to be signed by " + type).getBytes(StandardCharsets.UTF_8);
        ContentSigner signer = token.signerPool(key, type.defaultSignature()).newContentSigner();
        try (OutputStream out = signer.getOutputStream()) {
            out.write(data);
        }
        byte[] signature = signer.getSignature();

        Signature verifier = Signature.getInstance(type.defaultSignature(),
                type.jcaName().equals("EC") ? "SunEC" : "SunRsaSign"); // the JDK's own providers, not the token
        verifier.initVerify(key.publicKey());
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
        verifier.initVerify(key.publicKey());
        verifier.update("something else".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(signature)).isFalse();
    }

    @Test
    void caKeyIsASensitiveUnextractableTokenObjectAsTheTokenReportsIt() {
        TokenKey key = token.generate(KeySpec.caKey(TokenKeyType.EC_P256, "ca-attributes"));

        assertThat(key.attributes()).isEqualTo(new KeyAttributes(true, true, false));
        assertThat(key.privateKey().getEncoded()).as("a sensitive key has no encoding outside the token").isNull();
        // An independent reader: OpenSC's pkcs11-tool asks the token for the attributes itself.
        String objects = SoftHsm.pkcs11Tool(SoftHsm.TOKEN, "--list-objects", "--type", "privkey", "--label", "ca-attributes");
        assertThat(objects).contains("label:      ca-attributes")
                .contains("ID:         " + java.util.HexFormat.of().formatHex("ca-attributes".getBytes(StandardCharsets.UTF_8)))
                .containsPattern("Access: +sensitive, always sensitive, never extractable");
        assertThat(objects).containsPattern("Usage: +sign\\s").doesNotContain("decrypt");
    }

    @Test
    void sessionObjectsDoNotOutliveTheirSessionsAndLeaveNoTokenObject() {
        TokenKey key = token.generate(new KeySpec(TokenKeyType.EC_P256, "session-only", new byte[] {9}, false, false, true));
        assertThat(key.attributes()).isEqualTo(new KeyAttributes(false, false, true));
        assertThat(SoftHsm.pkcs11Tool(SoftHsm.TOKEN, "--list-objects", "--label", "session-only")).doesNotContain("session-only");
    }

    @Test
    void findsAKeyAndItsCertificateByLabelAfterTheCertificateIsStored() throws Exception {
        TokenKey key = token.generate(KeySpec.caKey(TokenKeyType.EC_P384, "ca-lookup"));
        X509Certificate certificate = selfSigned(key, "CN=lookup");
        token.storeCertificate(key, List.of(certificate));

        TokenKey found = token.requireKey("ca-lookup");
        assertThat(found.publicKey().getEncoded()).isEqualTo(key.publicKey().getEncoded());
        assertThat(found.attributes()).isEqualTo(new KeyAttributes(true, true, false));
        assertThat(token.certificateChain("ca-lookup")).containsExactly(certificate);
        // the key found again signs, and the signature verifies with the certificate's key
        byte[] signature = token.signerPool(found, "SHA384withECDSA").sign(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance("SHA384withECDSA", "SunEC");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void anUnknownLabelIsNotFound() {
        assertThat(token.findKey("no-such-key")).isEmpty();
        assertThatThrownBy(() -> token.requireKey("no-such-key"))
                .isInstanceOf(TokenKeyNotFoundException.class).hasMessageContaining("\"no-such-key\"");
    }

    private static X509Certificate selfSigned(TokenKey key, String subject) throws Exception {
        X500Name name = new X500Name(subject);
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, BigInteger.ONE,
                new Date(System.currentTimeMillis() - 60_000), new Date(System.currentTimeMillis() + 86_400_000L), name,
                SubjectPublicKeyInfo.getInstance(key.publicKey().getEncoded()));
        byte[] der = builder.build(token.signerPool(key, "SHA384withECDSA").newContentSigner()).getEncoded();
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        certificate.verify(key.publicKey());
        return certificate;
    }
}
