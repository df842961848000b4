package dev.keyline.bundle;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.keyline.bundle.CertificateFields.Element;

/**
 * Device private keys as PKCS#8 PrivateKeyInfo (RFC 5208), for a bundle's key file.
 *
 * <p>Asking ACCP for an EC key's encoding makes AWS-LC build an ASN.1 object tree and encode it again: 6% of an
 * issuing worker's CPU at steady state, over half of what making the key costs (benchmarks/README, issue 18). Yet an
 * EC key's PKCS#8 is a fixed shape around two parts a bundle already holds, the private value ({@code getS()}) and
 * the SubjectPublicKeyInfo in the device's certificate, whose AlgorithmIdentifier and BIT STRING it repeats:
 * <pre>
 * SEQUENCE { INTEGER 0, AlgorithmIdentifier,
 *            OCTET STRING { SEQUENCE { INTEGER 1, OCTET STRING privateKey, [1] { BIT STRING publicKey } } } }
 * </pre>
 * That is how OpenSSL and AWS-LC write it: RFC 5915's ECPrivateKey, the curve left to the AlgorithmIdentifier, the
 * private value in the fixed length of the curve's field (for the NIST curves, the order's length, as RFC 5915 asks).
 * Other providers write other shapes (Bouncy Castle repeats the curve inside, the JDK leaves the public key out), and
 * a bundle's key file must stay what the provider writes. So the first key of each key class and curve is encoded
 * both ways, and the short way is taken for that class and curve only when the octets agree; otherwise, and for RSA,
 * the provider's {@code getEncoded()}. {@code PrivateKeyInfoEncoderTest} checks thousands of ACCP keys, the private
 * values with leading zeros among them, against ACCP's own encoding.
 *
 * <p>Thread-safe.
 */
final class PrivateKeyInfoEncoder {

    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int OCTET_STRING = 0x04;
    private static final int SEQUENCE = 0x30;
    private static final int EXPLICIT_1 = 0xa1;
    private static final int UNCOMPRESSED = 0x04;

    /** A key class and the AlgorithmIdentifier octets of its public key (which name the curve). */
    private record Kind(Class<?> keyClass, ByteBuffer algorithm) {
    }

    private final Map<Kind, Boolean> agrees = new ConcurrentHashMap<>();

    /**
     * The key's PKCS#8 DER in a new array, which the caller should wipe once written; null when the key has no
     * PKCS#8 encoding (a key kept in a token).
     *
     * @param subjectPublicKeyInfo the key pair's public key, DER, as its certificate holds it; may be null
     */
    byte[] encode(PrivateKey key, byte[] subjectPublicKeyInfo) {
        if (key instanceof ECPrivateKey ec && subjectPublicKeyInfo != null) {
            Parts parts = Parts.of(subjectPublicKeyInfo);
            if (parts != null) {
                Kind kind = new Kind(key.getClass(), ByteBuffer.wrap(subjectPublicKeyInfo, parts.algorithm.start(),
                        parts.algorithm.end() - parts.algorithm.start()));
                Boolean same = agrees.get(kind);
                if (same == null) {
                    byte[] provider = providerEncoding(key);
                    byte[] built = build(ec, parts);
                    agrees.putIfAbsent(kind, built != null && Arrays.equals(built, provider));
                    wipe(built);
                    return provider;
                }
                if (same) {
                    byte[] built = build(ec, parts);
                    if (built != null) {
                        return built;
                    }
                }
            }
        }
        return providerEncoding(key);
    }

    /** Whether keys of this class have been encoded here, not by their provider, for some curve. */
    boolean encodesHere(Class<?> keyClass) {
        return agrees.entrySet().stream().anyMatch(e -> e.getKey().keyClass() == keyClass && e.getValue());
    }

    private static byte[] providerEncoding(PrivateKey key) {
        return "PKCS#8".equals(key.getFormat()) ? key.getEncoded() : null;
    }

    /**
     * Where a SubjectPublicKeyInfo's AlgorithmIdentifier and BIT STRING are, and the length of the private value
     * that goes with its point: the field's length, read from an uncompressed point ({@code 04 || X || Y}).
     */
    private record Parts(byte[] der, Element algorithm, Element publicKey, int valueOctets) {

        static Parts of(byte[] der) {
            try {
                Element info = Element.at(der, 0, der.length, SEQUENCE, "subjectPublicKeyInfo");
                Element algorithm = Element.at(der, info.contents(), info.end(), SEQUENCE, "algorithm");
                Element publicKey = Element.at(der, algorithm.end(), info.end(), BIT_STRING, "subjectPublicKey");
                int pointLength = publicKey.end() - publicKey.contents() - 1;
                if (info.end() != der.length || publicKey.end() != info.end() || pointLength < 3
                        || der[publicKey.contents()] != 0 || der[publicKey.contents() + 1] != UNCOMPRESSED
                        || pointLength % 2 == 0) {
                    return null;
                }
                return new Parts(der, algorithm, publicKey, (pointLength - 1) / 2);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** The shape above, or null when the private value does not fit it. */
    private static byte[] build(ECPrivateKey key, Parts parts) {
        byte[] value = privateValue(key.getS(), parts.valueOctets());
        if (value == null) {
            return null;
        }
        try {
            int algorithmLength = parts.algorithm().end() - parts.algorithm().start();
            int publicKeyLength = parts.publicKey().end() - parts.publicKey().start();
            int ecPrivateKey = 3 + size(value.length) + size(publicKeyLength);
            int contents = 3 + algorithmLength + size(size(ecPrivateKey));
            ByteBuffer out = ByteBuffer.allocate(size(contents));
            header(out, SEQUENCE, contents);
            out.put((byte) INTEGER).put((byte) 1).put((byte) 0);
            out.put(parts.der(), parts.algorithm().start(), algorithmLength);
            header(out, OCTET_STRING, size(ecPrivateKey));
            header(out, SEQUENCE, ecPrivateKey);
            out.put((byte) INTEGER).put((byte) 1).put((byte) 1);
            header(out, OCTET_STRING, value.length);
            out.put(value);
            header(out, EXPLICIT_1, publicKeyLength);
            out.put(parts.der(), parts.publicKey().start(), publicKeyLength);
            return out.array();
        } finally {
            wipe(value);
        }
    }

    /** {@code s} big-endian in exactly {@code octets} octets, or null when it is not positive or does not fit. */
    private static byte[] privateValue(BigInteger s, int octets) {
        if (s == null || s.signum() <= 0 || s.bitLength() > 8 * octets) {
            return null;
        }
        byte[] minimal = s.toByteArray(); // a leading 0 sign octet, or fewer octets than the field's
        byte[] value = new byte[octets];
        int copy = Math.min(minimal.length, octets);
        System.arraycopy(minimal, minimal.length - copy, value, octets - copy, copy);
        wipe(minimal);
        return value;
    }

    /** The size of a DER element whose contents take {@code length} octets (definite length, shortest form). */
    private static int size(int length) {
        return 1 + (length < 0x80 ? 1 : length <= 0xff ? 2 : length <= 0xffff ? 3 : 4) + length;
    }

    private static void header(ByteBuffer out, int tag, int length) {
        out.put((byte) tag);
        if (length < 0x80) {
            out.put((byte) length);
        } else if (length <= 0xff) {
            out.put((byte) 0x81).put((byte) length);
        } else if (length <= 0xffff) {
            out.put((byte) 0x82).put((byte) (length >>> 8)).put((byte) length);
        } else {
            out.put((byte) 0x83).put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
        }
    }

    private static void wipe(byte[] octets) {
        if (octets != null) {
            Arrays.fill(octets, (byte) 0);
        }
    }
}
