package dev.keyline.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** The key types Keyline generates and accepts for devices and CAs. */
public enum KeyAlgorithm {
    EC_P256("ec-p256", "EC", 256, "secp256r1"),
    EC_P384("ec-p384", "EC", 384, "secp384r1"),
    RSA_2048("rsa-2048", "RSA", 2048, null),
    RSA_3072("rsa-3072", "RSA", 3072, null),
    RSA_4096("rsa-4096", "RSA", 4096, null);

    private final String id;
    private final String jcaName;
    private final int bits;
    private final String curve;
    /** The group order n identifies a named curve whatever way its parameters were encoded. */
    private final BigInteger curveOrder;
    /** The AlgorithmIdentifier of a key on this named curve, DER: {@code SEQUENCE { id-ecPublicKey, curve OID }}. */
    private final byte[] namedCurveIdentifier;

    KeyAlgorithm(String id, String jcaName, int bits, String curve) {
        this.id = id;
        this.jcaName = jcaName;
        this.bits = bits;
        this.curve = curve;
        this.curveOrder = curve == null ? null : ECNamedCurveTable.getByName(curve).getN();
        this.namedCurveIdentifier = curve == null ? null : namedCurveIdentifier(curve);
    }

    private static byte[] namedCurveIdentifier(String curve) {
        try {
            return new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, ECNamedCurveTable.getOID(curve))
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The id used in manifests, profiles and on the command line, e.g. {@code ec-p256}. */
    public String id() {
        return id;
    }

    public boolean isEc() {
        return curve != null;
    }

    /** The JCA algorithm name of the key ({@code EC} or {@code RSA}). */
    public String jcaName() {
        return jcaName;
    }

    /** The curve size or the RSA modulus size, in bits. */
    public int bits() {
        return bits;
    }

    /** The standard curve name ({@code secp256r1}, {@code secp384r1}); empty for RSA. */
    public Optional<String> curveName() {
        return Optional.ofNullable(curve);
    }

    /**
     * The algorithm with this id (case-insensitive, surrounding blanks ignored).
     *
     * @throws UnknownKeyAlgorithmException naming the value and listing the valid ids
     */
    public static KeyAlgorithm fromId(String id) {
        if (id != null) {
            String wanted = id.strip().toLowerCase(Locale.ROOT);
            for (KeyAlgorithm a : values()) {
                if (a.id.equals(wanted)) {
                    return a;
                }
            }
        }
        throw new UnknownKeyAlgorithmException(id, Arrays.stream(values()).map(KeyAlgorithm::id).toList());
    }

    /** The valid ids, comma separated, for messages. */
    public static String validIds() {
        return Arrays.stream(values()).map(KeyAlgorithm::id).collect(Collectors.joining(", "));
    }

    /**
     * The EC algorithm of a SubjectPublicKeyInfo whose AlgorithmIdentifier names one of Keyline's curves, read from
     * its first octets; empty for anything else (RSA, explicit curve parameters, not an encoding at all), which
     * {@link #of(PublicKey)} decides. Asking a key for its parameters costs a provider such as ACCP a call into
     * native code and a parse per key: the encoding, which the certificate needs anyway, already says it.
     */
    public static Optional<KeyAlgorithm> ofNamedCurveKeyInfo(byte[] subjectPublicKeyInfo) {
        int at = afterHeader(subjectPublicKeyInfo, 0);
        if (at < 0) {
            return Optional.empty();
        }
        for (KeyAlgorithm a : values()) {
            byte[] identifier = a.namedCurveIdentifier;
            if (identifier != null && Arrays.equals(subjectPublicKeyInfo, at, Math.min(at + identifier.length,
                    subjectPublicKeyInfo.length), identifier, 0, identifier.length)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Where the contents of the SEQUENCE at {@code at} start, or -1 when there is no SEQUENCE header there. */
    private static int afterHeader(byte[] der, int at) {
        if (der == null || der.length < at + 2 || der[at] != 0x30) {
            return -1;
        }
        int first = der[at + 1] & 0xff;
        return first < 0x80 ? at + 2 : first <= 0x84 ? at + 2 + (first & 0x7f) : -1;
    }

    /** The algorithm of a public key, or empty when Keyline does not support that key type or size. */
    public static Optional<KeyAlgorithm> of(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            int size = rsa.getModulus().bitLength();
            for (KeyAlgorithm a : values()) {
                if (!a.isEc() && a.bits == size) {
                    return Optional.of(a);
                }
            }
        } else if (key instanceof ECPublicKey ec && ec.getParams() != null) {
            BigInteger order = ec.getParams().getOrder();
            for (KeyAlgorithm a : values()) {
                if (a.isEc() && a.curveOrder.equals(order)) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
