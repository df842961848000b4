package dev.keyline.x509;

import java.io.IOException;
import java.security.PublicKey;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

import dev.keyline.keys.KeyIdentifiers;

/**
 * A device key as a certificate carries it: its SubjectPublicKeyInfo in DER, and its key identifier (RFC 5280
 * method 1, see {@link KeyIdentifiers}).
 *
 * <p>The certificate must hold what Bouncy Castle's builder put there, {@code SubjectPublicKeyInfo.getInstance(
 * key.getEncoded())} re-encoded in DER. When the key's own encoding is already strict DER of the shapes a key
 * encoding is made of, that re-encoding gives the same octets back, so they are used as they are, and the key
 * bits for the identifier are found in place: no parse into objects and no re-encoding per device. The Bouncy
 * Castle, JDK (SunEC, SunRsaSign) and ACCP keys all take this path ({@code PublicKeyInfoTest} checks it); any
 * other encoding goes through Bouncy Castle as before.
 */
record PublicKeyInfo(byte[] der, byte[] keyIdentifier) {

    /** @throws IssuanceException when the key has no X.509 encoding or it does not parse */
    static PublicKeyInfo of(PublicKey key) {
        return of(key, key.getEncoded());
    }

    /** {@link #of(PublicKey)} with the key's encoding already asked for. */
    static PublicKeyInfo of(PublicKey key, byte[] encoded) {
        if (encoded == null) {
            throw new IssuanceException("the device key (" + key.getAlgorithm() + ") has no X.509 encoding");
        }
        return of(encoded);
    }

    static PublicKeyInfo of(byte[] encoded) {
        int bits = keyBitsIfCanonical(encoded);
        if (bits >= 0) {
            return new PublicKeyInfo(encoded, KeyIdentifiers.subjectKeyIdentifier(encoded, bits, encoded.length - bits));
        }
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(encoded);
            return new PublicKeyInfo(info.getEncoded(ASN1Encoding.DER), KeyIdentifiers.subjectKeyIdentifier(info));
        } catch (IOException | RuntimeException e) {
            throw new IssuanceException("the device key's encoding is not a SubjectPublicKeyInfo: " + e.getMessage(), e);
        }
    }

    /**
     * Where the subjectPublicKey bits start (after the BIT STRING's unused-bits octet, which must be 0), when
     * {@code encoded} is {@code SEQUENCE { SEQUENCE algorithm, BIT STRING }} in canonical DER; else -1.
     */
    static int keyBitsIfCanonical(byte[] encoded) {
        try {
            DerReader whole = new DerReader(encoded);
            DerReader info = whole.read(DerWriter.SEQUENCE);
            if (!whole.atEnd() || !canonical(info.read(DerWriter.SEQUENCE))) {
                return -1;
            }
            DerReader key = info.read(DerWriter.BIT_STRING);
            if (!info.atEnd() || key.atEnd() || key.octet(key.position()) != 0) {
                return -1;
            }
            return key.position() + 1; // the BIT STRING is the last element: its bits run to the end
        } catch (DerReader.NotDerException e) {
            return -1;
        }
    }

    /**
     * Whether every element is of a type whose DER encoding is unique and is already in it: an algorithm
     * identifier is OIDs, NULL, and, for explicit EC parameters, INTEGERs, OCTET STRINGs, BIT STRINGs and
     * SEQUENCEs. Anything else (a SET whose order a DER encoder may change, a BOOLEAN, a string) is left to
     * Bouncy Castle.
     */
    private static boolean canonical(DerReader elements) {
        while (!elements.atEnd()) {
            int tag = elements.peekTag();
            DerReader contents = elements.readAny();
            int start = contents.position();
            int length = contents.end() - start;
            boolean ok = switch (tag) {
                case DerWriter.SEQUENCE -> canonical(contents);
                case DerWriter.OBJECT_IDENTIFIER -> length > 0 && canonicalSubidentifiers(contents, start, length);
                case DerWriter.NULL -> length == 0;
                case DerWriter.INTEGER -> length > 0 && (length == 1 || !redundantSignOctet(contents.octet(start),
                        contents.octet(start + 1)));
                case DerWriter.OCTET_STRING -> true;
                case DerWriter.BIT_STRING -> length > 0 && contents.octet(start) == 0;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** X.690 8.19.2: no subidentifier starts with 0x80, and the last octet ends one. */
    private static boolean canonicalSubidentifiers(DerReader contents, int start, int length) {
        boolean first = true;
        for (int i = start; i < start + length; i++) {
            int octet = contents.octet(i);
            if (first && octet == 0x80) {
                return false;
            }
            first = (octet & 0x80) == 0;
        }
        return first;
    }

    /** X.690 8.3.2: the first nine bits of an INTEGER are not all zero or all one. */
    private static boolean redundantSignOctet(int first, int second) {
        return (first == 0x00 && (second & 0x80) == 0) || (first == 0xff && (second & 0x80) != 0);
    }
}
