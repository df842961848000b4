package dev.keyline.x509;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.SoftwareCaSigner;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.x509.SubjectName.AttributeType;

/**
 * The certificate {@link Issuer} assembles from its {@link CertificateTemplate} is the one Bouncy Castle's builder
 * made: for the same inputs (serial, clock, subject, alternative names, key, profile, CA) the TBSCertificate octets
 * are identical to those of {@link BcBuilderReference}, and so is the signature algorithm. ECDSA signatures are
 * randomised, so whole certificates are compared only under RSA CAs, whose PKCS#1 v1.5 signatures are not.
 *
 * <p>Inputs are drawn at random from a seed named in every failure: device keys of each type from the Bouncy
 * Castle, JDK and ACCP providers; subjects of every attribute type in any order, with non-ASCII UTF-8, or empty
 * with a (critical) subjectAltName; alternative names of each kind; profiles with and without extendedKeyUsage,
 * with keyAgreement, each digest, validities that the CA's notAfter clamps; times before and after 2050; CAs with
 * EC P-256, EC P-384 and RSA keys, signing through each provider, and an intermediate. The edge cases are also
 * tested one by one, each checking that it did arise. Every certificate is also parsed by the JDK's own
 * {@code CertificateFactory} and validated under its CA by the JDK's PKIX validator, at the issuing time.
 */
class CertificateTemplateEquivalenceTest {

    private static final long SEED = new SecureRandom().nextLong();
    private static final int RANDOM_DEVICES = 300;
    /** When the test CAs start: long before 2050, so devices are issued on both sides of it. */
    private static final Instant CA_START = Instant.parse("1999-12-01T00:00:00Z");

    private static final List<KeyAlgorithm> DEVICE_KEYS = List.of(KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P384,
            KeyAlgorithm.RSA_2048);
    private static final List<CryptoProvider> PROVIDERS = List.of(CryptoProvider.BC, CryptoProvider.JDK,
            CryptoProvider.ACCP);
    private static final Map<CryptoProvider, Map<KeyAlgorithm, List<PublicKey>>> KEYS = new EnumMap<>(CryptoProvider.class);

    private static TestCa p256Root;
    private static TestCa p384Root;
    private static TestCa rsaRoot;
    private static TestCa intermediate;
    /** Expires in mid-2050: what it issues near its end has notAfter clamped to a GeneralizedTime. */
    private static TestCa endingIn2050;

    /** A CA and what the JDK needs to validate what it issues. */
    record TestCa(String name, CertificateAuthority ca, List<X509Certificate> intermediates, X509Certificate root) {

        TestCa withProvider(CryptoProvider provider) {
            return new TestCa(name + " via " + provider.id(), ca.withProvider(provider), intermediates, root);
        }

        Instant notBefore() {
            return ca.certificate().getNotBefore().toInstant();
        }

        Instant notAfter() {
            return ca.certificate().getNotAfter().toInstant();
        }
    }

    /** How the serial's DER INTEGER starts; forced through the random source {@link SerialNumbers} draws from. */
    enum SerialShape {
        /** 20 octets, the first non-zero and below 0x80. */
        PLAIN {
            void shape(byte[] drawn) {
                drawn[0] = (byte) (drawn[0] | 0x01);
            }

            boolean matches(byte[] integer) {
                return integer.length == SerialNumbers.BYTES && integer[0] != 0;
            }
        },
        /** The top bit of the value is set: two's complement needs a leading 0x00 (21 octets of INTEGER content). */
        LEADING_ZERO_NEEDED {
            void shape(byte[] drawn) {
                drawn[0] = 0;
                drawn[1] = (byte) (drawn[1] | 0x80);
            }

            boolean matches(byte[] integer) {
                return integer.length == SerialNumbers.BYTES && integer[0] == 0 && (integer[1] & 0x80) != 0;
            }
        },
        /** A zero first octet that the minimal encoding drops. */
        SHORTER {
            void shape(byte[] drawn) {
                drawn[0] = 0;
                drawn[1] = (byte) ((drawn[1] & 0x7f) | 0x01);
            }

            boolean matches(byte[] integer) {
                return integer.length == SerialNumbers.BYTES - 1 && (integer[0] & 0x80) == 0;
            }
        };

        abstract void shape(byte[] drawn);

        abstract boolean matches(byte[] integer);
    }

    /** One issuance: everything the issuer and the reference are given. */
    record Case(TestCa ca, CertificateProfile profile, IssuanceRequest request, Instant now, SerialShape serial,
                String description) {
    }

    @BeforeAll
    static void makeCasAndKeys() {
        for (CryptoProvider provider : PROVIDERS) {
            SoftwareKeySource source = new SoftwareKeySource(provider);
            Map<KeyAlgorithm, List<PublicKey>> byAlgorithm = new EnumMap<>(KeyAlgorithm.class);
            for (KeyAlgorithm algorithm : DEVICE_KEYS) {
                byAlgorithm.put(algorithm, List.of(source.generate(algorithm).getPublic(),
                        source.generate(algorithm).getPublic()));
            }
            KEYS.put(provider, byAlgorithm);
        }
        Duration eightyYears = Duration.ofDays(80 * 365);
        Clock start = Clock.fixed(CA_START, ZoneOffset.UTC);
        p256Root = root("/C=US/O=Acme Equivalence/CN=P-256 Root", KeyAlgorithm.EC_P256, eightyYears, start);
        p384Root = root("/C=US/O=Acme Equivalence/CN=P-384 Root", KeyAlgorithm.EC_P384, eightyYears, start);
        rsaRoot = root("/C=US/O=Acme Equivalence/CN=RSA Root", KeyAlgorithm.RSA_2048, eightyYears, start);
        KeyPair intermediateKey = TestPki.KEYS.generate(KeyAlgorithm.EC_P256);
        X509Certificate intermediateCertificate = CaCertificateBuilder.intermediate(
                SubjectName.parse("/C=DE/O=Äcme Gerätebau GmbH/CN=Zwischen-CA Süd"), intermediateKey.getPublic(), rsaRoot.ca())
                .validity(Duration.ofDays(70 * 365)).clock(start).build();
        intermediate = new TestCa("P-256 intermediate under the RSA root", new CertificateAuthority(intermediateCertificate,
                rsaRoot.ca().chain(), new SoftwareCaSigner(intermediateKey.getPrivate(), intermediateKey.getPublic())),
                List.of(intermediateCertificate), rsaRoot.root());
        endingIn2050 = root("/C=US/O=Acme Equivalence/CN=Root ending 2050", KeyAlgorithm.EC_P256,
                Duration.between(Instant.parse("2040-06-01T00:00:00Z"), Instant.parse("2050-06-01T12:00:00Z")),
                Clock.fixed(Instant.parse("2040-06-01T00:00:00Z"), ZoneOffset.UTC));
    }

    private static TestCa root(String subject, KeyAlgorithm algorithm, Duration validity, Clock clock) {
        CertificateAuthority ca = TestPki.root(subject, algorithm, validity, clock);
        return new TestCa(subject, ca, List.of(), ca.certificate());
    }

    @Test
    void randomisedDevicesGiveTheBuildersToBeSignedBytes() throws Exception {
        Random random = new Random(SEED);
        List<TestCa> cas = List.of(p256Root, p384Root, rsaRoot, intermediate, endingIn2050);
        int clamped = 0;
        int after2050 = 0;
        for (int i = 0; i < RANDOM_DEVICES; i++) {
            TestCa ca = pick(random, cas);
            if (random.nextInt(3) == 0) {
                ca = ca.withProvider(pick(random, PROVIDERS));
            }
            Case c = randomCase(random, ca, i);
            X509Certificate certificate = check(c);
            clamped += certificate.getNotAfter().toInstant().equals(ca.notAfter()) ? 1 : 0;
            after2050 += certificate.getNotBefore().toInstant().isAfter(Instant.parse("2050-01-01T00:00:00Z")) ? 1 : 0;
        }
        // The draw covers what it is meant to (a seed that did not would say so, rather than pass on less).
        assertThat(clamped).as("devices whose notAfter the CA clamped, seed " + SEED).isGreaterThan(10);
        assertThat(after2050).as("devices issued after 2050, seed " + SEED).isGreaterThan(10);
    }

    @ParameterizedTest
    @EnumSource(SerialShape.class)
    void serialsOfEveryShapeAreEncodedAsTheBuilderDid(SerialShape shape) throws Exception {
        for (TestCa ca : List.of(p256Root, rsaRoot)) {
            check(new Case(ca, CertificateProfile.defaults(), request("/CN=serial-" + shape, SubjectAltNames.NONE,
                    KeyAlgorithm.EC_P256, CryptoProvider.ACCP), Instant.parse("2030-01-01T00:00:00Z"), shape,
                    "serial " + shape + " under " + ca.name()));
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "EC_P384", "RSA_2048"})
    void everyProvidersDeviceKeyUnderEveryCaKeyType(KeyAlgorithm deviceKey) throws Exception {
        for (CryptoProvider provider : PROVIDERS) {
            for (TestCa ca : List.of(p256Root, p384Root, rsaRoot, intermediate)) {
                check(new Case(ca.withProvider(provider), CertificateProfile.defaults(), request("/C=US/O=Acme/CN=d-1",
                        SubjectAltNames.ofDns("d-1.example"), deviceKey, provider), Instant.parse("2026-03-01T10:00:00Z"),
                        SerialShape.PLAIN, deviceKey.id() + " key from " + provider.id() + " under " + ca.name()));
            }
        }
    }

    @Test
    void anEmptySubjectGetsACriticalSubjectAltNameOfEveryKind() throws Exception {
        SubjectAltNames all = new SubjectAltNames(List.of("device-9.example.com", "*.fleet.example"),
                List.of("urn:device:9", "spiffe://example.org/device/9"), List.of("192.0.2.10", "2001:db8::9"));
        X509Certificate certificate = check(new Case(p384Root, CertificateProfile.defaults(),
                new IssuanceRequest(SubjectName.EMPTY, all, key(KeyAlgorithm.EC_P256, CryptoProvider.JDK)),
                Instant.parse("2031-07-04T12:00:00Z"), SerialShape.PLAIN, "empty subject"));
        assertThat(certificate.getCriticalExtensionOIDs()).contains(Extension.subjectAlternativeName.getId());
        assertThat(certificate.getSubjectAlternativeNames()).hasSize(6);
    }

    @Test
    void theKeyAgreementVariantAndAProfileWithoutExtendedKeyUsage() throws Exception {
        CertificateProfile profile = CertificateProfile.defaults().withKeyAgreement(true).withExtendedKeyUsages(List.of());
        X509Certificate certificate = check(new Case(p256Root, profile, request("/CN=ka", SubjectAltNames.NONE,
                KeyAlgorithm.EC_P256, CryptoProvider.BC), Instant.parse("2027-01-01T00:00:00Z"), SerialShape.PLAIN,
                "keyAgreement, no EKU"));
        assertThat(certificate.getKeyUsage()[4]).as("keyAgreement").isTrue();
        assertThat(certificate.getExtendedKeyUsage()).isNull();
        // An RSA key never gets keyAgreement, even when the profile asks.
        X509Certificate rsa = check(new Case(p256Root, profile, request("/CN=ka-rsa", SubjectAltNames.NONE,
                KeyAlgorithm.RSA_2048, CryptoProvider.JDK), Instant.parse("2027-01-01T00:00:00Z"), SerialShape.PLAIN,
                "keyAgreement, RSA key"));
        assertThat(rsa.getKeyUsage()[4]).as("keyAgreement").isFalse();
    }

    @Test
    void timesOnBothSidesOf2050AndANotAfterClampedToTheCas() throws Exception {
        CertificateProfile oneDay = CertificateProfile.defaults().withValidity(Duration.ofDays(1))
                .withExtendedKeyUsages(List.of(KeyPurpose.SERVER_AUTH, KeyPurpose.CLIENT_AUTH));
        Instant lastUtcSecond = Instant.parse("2049-12-31T23:59:59Z");
        X509Certificate straddling = check(new Case(p256Root, new CertificateProfile(oneDay.validity(), Duration.ZERO,
                false, oneDay.extendedKeyUsages(), KeyAlgorithm.EC_P256, oneDay.allowedKeyAlgorithms(), "SHA-512"),
                request("/CN=straddle", SubjectAltNames.NONE, KeyAlgorithm.EC_P256, CryptoProvider.ACCP),
                lastUtcSecond, SerialShape.PLAIN, "issued at the last UTCTime second"));
        TBSCertificate tbs = TBSCertificate.getInstance(straddling.getTBSCertificate());
        assertThat(tbs.getStartDate().toASN1Primitive()).isInstanceOf(ASN1UTCTime.class);
        assertThat(tbs.getEndDate().toASN1Primitive()).isInstanceOf(ASN1GeneralizedTime.class);

        X509Certificate clamped = check(new Case(endingIn2050, CertificateProfile.defaults(), request("/CN=clamped",
                SubjectAltNames.NONE, KeyAlgorithm.EC_P256, CryptoProvider.ACCP), Instant.parse("2050-05-01T08:00:00Z"),
                SerialShape.PLAIN, "clamped after 2050"));
        assertThat(clamped.getNotAfter()).isEqualTo(endingIn2050.ca().certificate().getNotAfter());
        TBSCertificate clampedTbs = TBSCertificate.getInstance(clamped.getTBSCertificate());
        assertThat(clampedTbs.getStartDate().toASN1Primitive()).isInstanceOf(ASN1GeneralizedTime.class);
    }

    /**
     * Issues {@code c} with the engine's issuer and with the builder reference, and checks the two agree and the
     * certificate is valid under its CA.
     *
     * @return the certificate as the JDK parsed it
     */
    private static X509Certificate check(Case c) throws Exception {
        String what = c.description() + " (seed " + SEED + ")";
        SerialNumbers serials = new SerialNumbers(() -> new ShapedRandom(new Random(c.now().getEpochSecond()), c.serial()));
        IssuedCertificate issued = new Issuer(c.ca().ca(), c.profile(), Clock.fixed(c.now(), ZoneOffset.UTC), serials)
                .issue(c.request());
        assertThat(c.serial().matches(issued.serial().toByteArray())).as("serial shape " + c.serial() + ": " + what).isTrue();
        X509CertificateHolder reference = BcBuilderReference.issue(c.ca().ca(), c.profile(), c.request(), issued.serial(),
                c.now());

        X509Certificate certificate = jdkParse(issued.der());
        X509Certificate expected = jdkParse(reference.getEncoded());
        assertThat(certificate.getTBSCertificate()).as("TBSCertificate: " + what).isEqualTo(expected.getTBSCertificate());
        Certificate structure = Certificate.getInstance(issued.der());
        assertThat(structure.getSignatureAlgorithm().getEncoded(ASN1Encoding.DER)).as("signatureAlgorithm: " + what)
                .isEqualTo(reference.toASN1Structure().getSignatureAlgorithm().getEncoded(ASN1Encoding.DER));
        assertThat(structure.getEncoded(ASN1Encoding.DER)).as("the certificate is DER: " + what).isEqualTo(issued.der());
        if (!c.ca().ca().signer().publicKey().getAlgorithm().equals("EC")) {
            assertThat(issued.der()).as("whole certificate under an RSA CA: " + what).isEqualTo(reference.getEncoded());
        }

        assertThat(issued.serial()).isEqualTo(certificate.getSerialNumber());
        assertThat(issued.notBefore()).isEqualTo(certificate.getNotBefore().toInstant());
        assertThat(issued.notAfter()).isEqualTo(certificate.getNotAfter().toInstant());
        assertThat(issued.certificateId()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(issued.der())));
        assertThat(issued.x509().getEncoded()).isEqualTo(issued.der());
        IndependentVerifier.validateWithJdk(certificate, c.ca().intermediates(), c.ca().root(), c.now());
        return certificate;
    }

    private static Case randomCase(Random random, TestCa ca, int index) {
        Instant earliest = ca.notBefore().plus(Duration.ofDays(1));
        long span = Duration.between(earliest, ca.notAfter()).getSeconds() - 1;
        Instant now = earliest.plusSeconds((long) (random.nextDouble() * span)).plusMillis(random.nextInt(1000));
        CertificateProfile profile = new CertificateProfile(
                Duration.ofDays(pick(random, List.of(1, 30, 397, 3650, 20_000, 36_500))),
                Duration.ofSeconds(pick(random, List.of(0, 300, 86_400))),
                random.nextBoolean(),
                pick(random, List.of(List.of(), List.of(KeyPurpose.CLIENT_AUTH), List.of(KeyPurpose.SERVER_AUTH),
                        List.of(KeyPurpose.CLIENT_AUTH, KeyPurpose.SERVER_AUTH))),
                KeyAlgorithm.EC_P256, CertificateProfile.defaults().allowedKeyAlgorithms(),
                pick(random, List.of("SHA-256", "SHA-384", "SHA-512")));
        SubjectName subject = random.nextInt(8) == 0 ? SubjectName.EMPTY : randomSubject(random);
        SubjectAltNames altNames = randomAltNames(random, subject.isEmpty());
        KeyAlgorithm keyType = pick(random, DEVICE_KEYS);
        CryptoProvider provider = pick(random, PROVIDERS);
        SerialShape serial = pick(random, List.of(SerialShape.values()));
        PublicKey key = pick(random, KEYS.get(provider).get(keyType));
        return new Case(ca, profile, new IssuanceRequest(subject, altNames, key), now, serial,
                "device " + index + " under " + ca.name() + ": " + keyType.id() + " key from " + provider.id()
                        + ", subject \"" + subject + "\", " + altNames + ", at " + now + ", " + profile.validity()
                        + " validity, keyAgreement " + profile.keyAgreement() + ", EKU " + profile.extendedKeyUsages()
                        + ", " + profile.signatureDigest() + ", serial " + serial);
    }

    private static SubjectName randomSubject(Random random) {
        List<SubjectName.Attribute> attributes = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            AttributeType type = pick(random, List.of(AttributeType.values()));
            attributes.add(new SubjectName.Attribute(type, value(random, type)));
        }
        return SubjectName.of(attributes);
    }

    private static String value(Random random, AttributeType type) {
        return switch (type) {
            case C -> pick(random, List.of("US", "DE", "JP", "FR", "BR"));
            case SERIAL_NUMBER, DN_QUALIFIER -> pick(random, List.of("SN-", "0042 ", "A(1)/", "x+y.")) + random.nextInt(1_000_000);
            default -> pick(random, List.of("device-", "Gerät Küche ", "東京センサー", "Датчик №", "O'Brien & Søn ",
                    "🔒 vault ", "Acme, Inc. ", "")) + random.nextInt(100_000);
        };
    }

    private static SubjectAltNames randomAltNames(Random random, boolean required) {
        List<String> dns = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        do {
            for (int i = random.nextInt(3); i > 0; i--) {
                dns.add(pick(random, List.of("device-", "*.fleet-", "xn--bcher-kva-")) + random.nextInt(1000) + ".example");
            }
            for (int i = random.nextInt(2); i > 0; i--) {
                uris.add(pick(random, List.of("urn:device:", "spiffe://example.org/device/", "https://example.com/d?id="))
                        + random.nextInt(1000));
            }
            for (int i = random.nextInt(2); i > 0; i--) {
                ips.add(pick(random, List.of("192.0.2." + random.nextInt(256), "2001:db8::" + Integer.toHexString(
                        random.nextInt(0x10000)), "::ffff:198.51.100." + random.nextInt(256))));
            }
        } while (required && dns.isEmpty() && uris.isEmpty() && ips.isEmpty());
        return new SubjectAltNames(dns, uris, ips);
    }

    private static IssuanceRequest request(String subject, SubjectAltNames altNames, KeyAlgorithm keyType,
                                           CryptoProvider provider) {
        return new IssuanceRequest(SubjectName.parse(subject), altNames, key(keyType, provider));
    }

    private static PublicKey key(KeyAlgorithm type, CryptoProvider provider) {
        return KEYS.get(provider).get(type).get(0);
    }

    private static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static X509Certificate jdkParse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** Random octets given the shape the test wants the serial to have. */
    private static final class ShapedRandom extends SecureRandom {

        private final transient Random random;
        private final SerialShape shape;

        ShapedRandom(Random random, SerialShape shape) {
            this.random = random;
            this.shape = shape;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            random.nextBytes(bytes);
            shape.shape(bytes);
        }
    }
}
