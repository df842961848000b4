package dev.keyline.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.OpenSsl;
import dev.keyline.ca.Pkix;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeyIdentifiers;

class IssuerTest {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final CertificateAuthority ROOT = TestPki.root("/C=US/O=Keyline Test/CN=Test Root", KeyAlgorithm.EC_P256);
    private static final KeyPair DEVICE_KEY = TestPki.KEYS.generate(KeyAlgorithm.EC_P256);

    @TempDir
    Path tmp;

    private final Issuer issuer = new Issuer(ROOT, CertificateProfile.defaults());

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void deviceCertificateForEveryKeyAlgorithmVerifies(KeyAlgorithm algorithm) throws Exception {
        KeyPair device = TestPki.KEYS.generate(algorithm); // one key each: RSA-4096 generation is slow
        IssuedCertificate issued = issuer.issue(new IssuanceRequest(
                SubjectName.parse("/C=US/O=Acme/CN=dev-" + algorithm.id()), SubjectAltNames.NONE, device.getPublic()));
        X509Certificate cert = issued.x509();

        Pkix.validate(ROOT.certificate(), List.of(), cert);
        OpenSsl.verify(tmp, ROOT.certificate(), List.of(), cert);

        assertThat(cert.getVersion()).isEqualTo(3);
        assertThat(cert.getPublicKey().getEncoded()).isEqualTo(device.getPublic().getEncoded());
        assertThat(cert.getSigAlgName()).isEqualToIgnoringCase("SHA256withECDSA");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getCriticalExtensionOIDs()).containsExactlyInAnyOrder(
                Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        assertThat(cert.getKeyUsage()).startsWith(true, false, false, false, false, false, false, false);
        assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(ski(cert)).isEqualTo(KeyIdentifiers.subjectKeyIdentifier(device.getPublic()));
        assertThat(aki(cert)).isEqualTo(ROOT.subjectKeyIdentifier());
        assertThat(cert.getSubjectAlternativeNames()).isNull();

        String text = OpenSsl.text(tmp, cert);
        assertThat(text).containsPattern("X509v3 Basic Constraints: critical\\s+CA:FALSE")
                .containsPattern("X509v3 Key Usage: critical\\s+Digital Signature\\s")
                .containsPattern("X509v3 Extended Key Usage:\\s+TLS Web Client Authentication")
                .contains("X509v3 Subject Key Identifier").contains("X509v3 Authority Key Identifier")
                .doesNotContain("Subject Alternative Name");
    }

    @Test
    void theIndependentVerifiersRejectACertificateFromAnotherCa() throws Exception {
        CertificateAuthority stranger = TestPki.root("/CN=Stranger Root", KeyAlgorithm.EC_P256);
        X509Certificate foreign = new Issuer(stranger, CertificateProfile.defaults())
                .issue(new IssuanceRequest(SubjectName.parse("/CN=dev"), DEVICE_KEY.getPublic())).x509();
        assertThatThrownBy(() -> Pkix.validate(ROOT.certificate(), List.of(), foreign)).isInstanceOf(AssertionError.class);
        OpenSsl.Result result = OpenSsl.run("verify", "-CAfile", OpenSsl.pem(tmp.resolve("r.pem"), ROOT.certificate()).toString(),
                OpenSsl.pem(tmp.resolve("f.pem"), foreign).toString());
        assertThat(result.exitCode()).as(result.output()).isNotZero();
    }

    @Test
    void subjectKeyIdentifierMatchesOpenSslsAndAuthorityKeyIdentifierIsTheCas() throws Exception {
        X509Certificate cert = issue("/CN=dev-ski").x509();
        String text = OpenSsl.text(tmp, cert);
        assertThat(text).contains(colonHex(KeyIdentifiers.subjectKeyIdentifier(DEVICE_KEY.getPublic())));
        assertThat(OpenSsl.text(tmp, ROOT.certificate())).contains(colonHex(aki(cert)));
    }

    @Test
    void certificateIdIsTheSha256OfTheDerAndOpenSslsFingerprint() throws Exception {
        IssuedCertificate issued = issue("/CN=dev-fp");
        assertThat(issued.der()).isEqualTo(issued.x509().getEncoded());
        assertThat(issued.certificateId()).matches("[0-9a-f]{64}")
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(issued.der())));
        String fingerprint = OpenSsl.ok("x509", "-noout", "-fingerprint", "-sha256", "-in",
                OpenSsl.pem(tmp.resolve("fp.pem"), issued.x509()).toString());
        assertThat(fingerprint.substring(fingerprint.indexOf('=') + 1).strip().replace(":", "").toLowerCase())
                .isEqualTo(issued.certificateId());
        assertThat(issued.serial()).isEqualTo(issued.x509().getSerialNumber()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P384", "RSA_2048"})
    void issuesUnderCasWithOtherKeyTypes(KeyAlgorithm caKey) throws Exception {
        CertificateAuthority ca = TestPki.root("/CN=Root " + caKey.id(), caKey);
        X509Certificate cert = new Issuer(ca, CertificateProfile.defaults().withSignatureDigest("SHA-384"))
                .issue(new IssuanceRequest(SubjectName.parse("/CN=dev"), DEVICE_KEY.getPublic())).x509();
        assertThat(cert.getSigAlgName()).isEqualToIgnoringCase(caKey.isEc() ? "SHA384withECDSA" : "SHA384withRSA");
        Pkix.validate(ca.certificate(), List.of(), cert);
        OpenSsl.verify(tmp, ca.certificate(), List.of(), cert);
    }

    @Test
    void deviceUnderAnIntermediateVerifiesThroughTheChain() throws Exception {
        CertificateAuthority intermediate = TestPki.intermediate("/C=US/O=Keyline Test/CN=Line 4 CA", ROOT);
        X509Certificate cert = new Issuer(intermediate, CertificateProfile.defaults())
                .issue(new IssuanceRequest(SubjectName.parse("/CN=dev-under-intermediate"), DEVICE_KEY.getPublic()))
                .x509();
        assertThat(aki(cert)).isEqualTo(intermediate.subjectKeyIdentifier());
        assertThat(aki(intermediate.certificate())).isEqualTo(ROOT.subjectKeyIdentifier());
        assertThat(intermediate.chain()).containsExactly(intermediate.certificate(), ROOT.certificate());
        Pkix.validate(ROOT.certificate(), List.of(intermediate.certificate()), cert);
        OpenSsl.verify(tmp, ROOT.certificate(), List.of(intermediate.certificate()), cert);
    }

    @Test
    void refusesTheCasOwnSubjectInAnySpelling() {
        for (String subject : List.of("/C=US/O=Keyline Test/CN=Test Root", "CN=Test Root,O=Keyline Test,C=US",
                "CN=test root,O=KEYLINE TEST,C=US")) {
            assertThatThrownBy(() -> issue(subject))
                    .isInstanceOf(IssuanceException.class).hasMessageContaining("is the CA's own subject");
        }
    }

    @Test
    void notAfterIsClampedToTheCasNotAfter() throws Exception {
        CertificateAuthority shortCa = TestPki.root("/CN=Short Root", KeyAlgorithm.EC_P256, Duration.ofDays(30),
                Clock.systemUTC());
        X509Certificate cert = new Issuer(shortCa, CertificateProfile.defaults())
                .issue(new IssuanceRequest(SubjectName.parse("/CN=dev"), DEVICE_KEY.getPublic())).x509();
        assertThat(cert.getNotAfter()).isEqualTo(shortCa.certificate().getNotAfter());
        Pkix.validate(shortCa.certificate(), List.of(), cert);
        OpenSsl.verify(tmp, shortCa.certificate(), List.of(), cert);
    }

    @Test
    void validityRunsFromNowMinusBackdateToNowPlusValidity() {
        Instant now = Instant.parse("2026-11-24T12:00:00Z");
        CertificateAuthority ca = TestPki.root("/CN=Clock Root", KeyAlgorithm.EC_P256, Duration.ofDays(7305),
                Clock.fixed(now.minusSeconds(3600), ZoneOffset.UTC));
        Issuer fixed = new Issuer(ca, CertificateProfile.defaults(), Clock.fixed(now.plusMillis(900), ZoneOffset.UTC),
                new SerialNumbers());
        X509Certificate cert = fixed.issue(new IssuanceRequest(SubjectName.parse("/CN=dev"), DEVICE_KEY.getPublic()))
                .x509();
        assertThat(cert.getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofMinutes(5)));
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(3650)));
        Pkix.validate(ca.certificate(), List.of(), cert, java.util.Date.from(now));
    }

    @Test
    void refusesToIssueUnderAnExpiredCa() {
        Issuer late = new Issuer(ROOT, CertificateProfile.defaults(),
                Clock.fixed(ROOT.certificate().getNotAfter().toInstant().plusSeconds(1), ZoneOffset.UTC), new SerialNumbers());
        assertThatThrownBy(() -> late.issue(new IssuanceRequest(SubjectName.parse("/CN=dev"), DEVICE_KEY.getPublic())))
                .isInstanceOf(IssuanceException.class).hasMessageContaining("expired");
    }

    @Test
    void keyAgreementOnlyForEcKeysAndOnlyWhenTheProfileAsks() throws Exception {
        Issuer withKa = new Issuer(ROOT, CertificateProfile.defaults().withKeyAgreement(true));
        X509Certificate ec = withKa.issue(new IssuanceRequest(SubjectName.parse("/CN=ec"), DEVICE_KEY.getPublic()))
                .x509();
        assertThat(ec.getKeyUsage()[0]).isTrue();
        assertThat(ec.getKeyUsage()[4]).as("keyAgreement").isTrue();
        assertThat(OpenSsl.text(tmp, ec)).contains("Digital Signature, Key Agreement");
        OpenSsl.verify(tmp, ROOT.certificate(), List.of(), ec);

        KeyPair rsa = TestPki.KEYS.generate(KeyAlgorithm.RSA_2048);
        X509Certificate rsaCert = withKa.issue(new IssuanceRequest(SubjectName.parse("/CN=rsa"), rsa.getPublic()))
                .x509();
        assertThat(rsaCert.getKeyUsage()[4]).isFalse();
        assertThat(issue("/CN=no-ka").x509().getKeyUsage()[4]).isFalse();
    }

    @Test
    void extendedKeyUsagesFollowTheProfile() throws Exception {
        X509Certificate both = new Issuer(ROOT, CertificateProfile.defaults()
                .withExtendedKeyUsages(List.of(KeyPurpose.CLIENT_AUTH, KeyPurpose.SERVER_AUTH)))
                .issue(new IssuanceRequest(SubjectName.parse("/CN=both"), DEVICE_KEY.getPublic())).x509();
        assertThat(both.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH, "1.3.6.1.5.5.7.3.1");
        X509Certificate none = new Issuer(ROOT, CertificateProfile.defaults().withExtendedKeyUsages(List.of()))
                .issue(new IssuanceRequest(SubjectName.parse("/CN=none"), DEVICE_KEY.getPublic())).x509();
        assertThat(none.getExtendedKeyUsage()).isNull();
        OpenSsl.verify(tmp, ROOT.certificate(), List.of(), none);
    }

    @Test
    void subjectAltNamesAreAddedAndCriticalOnlyWhenTheSubjectIsEmpty() throws Exception {
        SubjectAltNames sans = new SubjectAltNames(List.of("dev-1.example.com"), List.of("urn:acme:dev-1"),
                List.of("192.0.2.10"));
        X509Certificate named = issuer.issue(new IssuanceRequest(SubjectName.parse("/CN=dev-1"), sans,
                DEVICE_KEY.getPublic())).x509();
        assertThat(named.getNonCriticalExtensionOIDs()).contains(Extension.subjectAlternativeName.getId());
        assertThat(named.getSubjectAlternativeNames().stream().map(l -> (Object) l.get(1)).toList())
                .containsExactly("dev-1.example.com", "urn:acme:dev-1", "192.0.2.10");
        assertThat(OpenSsl.text(tmp, named)).contains("DNS:dev-1.example.com, URI:urn:acme:dev-1, IP Address:192.0.2.10");

        X509Certificate anonymous = issuer.issue(new IssuanceRequest(SubjectName.EMPTY, sans, DEVICE_KEY.getPublic()))
                .x509();
        assertThat(anonymous.getCriticalExtensionOIDs()).contains(Extension.subjectAlternativeName.getId());
        assertThat(anonymous.getSubjectX500Principal().getEncoded()).hasSize(2); // an empty SEQUENCE
        Pkix.validate(ROOT.certificate(), List.of(), anonymous);
        OpenSsl.verify(tmp, ROOT.certificate(), List.of(), anonymous);
    }

    @Test
    void refusesARequestWithNeitherSubjectNorAltName() {
        assertThatThrownBy(() -> issuer.issue(new IssuanceRequest(SubjectName.EMPTY, DEVICE_KEY.getPublic())))
                .isInstanceOf(IssuanceException.class).hasMessageContaining("neither a subject nor a subject alternative name");
    }

    @Test
    void refusesKeysTheProfileDoesNotAllow() {
        CertificateProfile ecOnly = new CertificateProfile(Duration.ofDays(1), Duration.ZERO, false, List.of(),
                KeyAlgorithm.EC_P256, Set.of(KeyAlgorithm.EC_P256), "SHA-256");
        KeyPair p384 = TestPki.KEYS.generate(KeyAlgorithm.EC_P384);
        assertThatThrownBy(() -> new Issuer(ROOT, ecOnly).issue(new IssuanceRequest(SubjectName.parse("/CN=x"),
                p384.getPublic())))
                .isInstanceOf(IssuanceException.class).hasMessageContaining("does not allow ec-p384 keys");
    }

    @Test
    void subjectStringTypesSurviveIntoTheCertificate() throws Exception {
        X509Certificate cert = issue("/C=DE/O=Gerätebau/serialNumber=SN0042/dnQualifier=q1/CN=Gerät Zürich 7")
                .x509();
        String subject = OpenSsl.ok("x509", "-noout", "-subject", "-nameopt", "multiline,show_type,utf8,-esc_msb",
                "-in", OpenSsl.pem(tmp.resolve("s.pem"), cert).toString());
        assertThat(subject).containsPattern("countryName\\s+= PRINTABLESTRING:DE")
                .containsPattern("organizationName\\s+= UTF8STRING:Gerätebau")
                .containsPattern("serialNumber\\s+= PRINTABLESTRING:SN0042")
                .containsPattern("dnQualifier\\s+= PRINTABLESTRING:q1")
                .containsPattern("commonName\\s+= UTF8STRING:Gerät Zürich 7");
        assertThat(cert.getSubjectX500Principal().getEncoded())
                .isEqualTo(SubjectName.parse("CN=Gerät Zürich 7,dnQualifier=q1,serialNumber=SN0042,O=Gerätebau,C=DE")
                        .toX500Name().getEncoded());
        OpenSsl.verify(tmp, ROOT.certificate(), List.of(), cert);
    }

    @Test
    void escapedCommaAndSlashValuesReadTheSameInTheJdkAndInOpenSsl() throws Exception {
        X509Certificate cert = issue("CN=a\\,b/c,OU=Line 4\\+5,O=Gerät Zürich 7,C=US").x509();
        // The JDK's own parser (RFC 2253 output) sees one CN holding the comma and the slash, not two attributes.
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=a\\,b/c,OU=Line 4\\+5,O=Gerät Zürich 7,C=US");
        String subject = OpenSsl.ok("x509", "-noout", "-subject", "-nameopt", "multiline,show_type,utf8,-esc_msb",
                "-in", OpenSsl.pem(tmp.resolve("e.pem"), cert).toString());
        assertThat(subject).containsPattern("countryName\\s+= PRINTABLESTRING:US")
                .containsPattern("organizationName\\s+= UTF8STRING:Gerät Zürich 7")
                .containsPattern("organizationalUnitName\\s+= UTF8STRING:Line 4\\+5")
                .containsPattern("commonName\\s+= UTF8STRING:a,b/c");
        OpenSsl.verify(tmp, ROOT.certificate(), List.of(), cert);
    }

    @Test
    void issuesFromSeveralThreadsWithUniqueSerialsAndValidSignatures() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<IssuedCertificate>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<IssuedCertificate> out = new ArrayList<>();
                    for (int i = 0; i < 150; i++) {
                        out.add(issuer.issue(new IssuanceRequest(SubjectName.parse("/CN=t" + thread + "-" + i),
                                TestPki.KEYS.generate(KeyAlgorithm.EC_P256).getPublic())));
                    }
                    return out;
                }));
            }
            Set<java.math.BigInteger> serials = new HashSet<>();
            Set<String> ids = new HashSet<>();
            for (Future<List<IssuedCertificate>> f : futures) {
                for (IssuedCertificate issued : f.get()) {
                    serials.add(issued.serial());
                    ids.add(issued.certificateId());
                    issued.x509().verify(ROOT.certificate().getPublicKey());
                }
            }
            assertThat(serials).hasSize(600);
            assertThat(ids).hasSize(600);
            Pkix.validate(ROOT.certificate(), List.of(), futures.get(3).get().get(149).x509());
        } finally {
            pool.shutdownNow();
        }
    }

    private IssuedCertificate issue(String subject) {
        return issuer.issue(new IssuanceRequest(SubjectName.parse(subject), DEVICE_KEY.getPublic()));
    }

    static byte[] ski(X509Certificate cert) {
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                cert.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
    }

    static byte[] aki(X509Certificate cert) {
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                cert.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets());
        assertThat(aki.getAuthorityCertIssuer()).as("keyIdentifier only").isNull();
        assertThat(aki.getAuthorityCertSerialNumber()).as("keyIdentifier only").isNull();
        return aki.getKeyIdentifierOctets();
    }

    static String colonHex(byte[] bytes) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(bytes);
    }

    @Test
    void refusesASubjectWithoutAnAttributeTheProfileRequires() {
        Issuer strict = new Issuer(ROOT, CertificateProfile.defaults().withRequiredSubject(
                java.util.EnumSet.of(SubjectName.AttributeType.C, SubjectName.AttributeType.CN)));
        KeyPair key = TestPki.KEYS.generate(KeyAlgorithm.EC_P256);

        assertThatThrownBy(() -> strict.issue(new IssuanceRequest(SubjectName.parse("/O=Acme/CN=no-country"), key.getPublic())))
                .isInstanceOf(IssuanceException.class).hasMessageContaining("lacks C").hasMessageContaining("required-subject");
        assertThat(strict.issue(new IssuanceRequest(SubjectName.parse("/C=US/CN=with-country"), key.getPublic())).x509()
                .getSubjectX500Principal().getName()).isEqualTo("CN=with-country,C=US");
    }
}
