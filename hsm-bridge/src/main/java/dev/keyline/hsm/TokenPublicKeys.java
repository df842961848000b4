package dev.keyline.hsm;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.digests.SHA1Digest;

/** Key-type details for raw key generation, and the public key (as a JDK {@link PublicKey}) from token attributes. */
final class TokenPublicKeys {

    private TokenPublicKeys() {
    }

    /** CKA_EC_PARAMS: the curve's OID, DER. */
    static byte[] ecParameters(TokenKeyType type) {
        try {
            return curve(type).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a curve OID", e);
        }
    }

    static int rsaBits(TokenKeyType type) {
        return ((RSAKeyGenParameterSpec) type.parameters()).getKeysize();
    }

    static boolean isEc(TokenKeyType type) {
        return type.jcaName().equals("EC");
    }

    /**
     * An EC public key from CKA_EC_POINT, which the standard defines as a DER OCTET STRING around the
     * uncompressed point; a few modules return the bare point, which is accepted too.
     */
    static PublicKey ec(TokenKeyType type, byte[] ecPoint) {
        byte[] point = ecPoint;
        int fieldBytes = type == TokenKeyType.EC_P256 ? 32 : 48;
        if (!(ecPoint.length == 1 + 2 * fieldBytes && ecPoint[0] == 0x04)) {
            point = ASN1OctetString.getInstance(ecPoint).getOctets();
        }
        SubjectPublicKeyInfo info = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve(type)), point);
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new HsmException("the token returned an EC public key the JDK cannot read: " + e.getMessage(), e);
        }
    }

    static PublicKey rsa(byte[] modulus, byte[] exponent) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(new BigInteger(1, modulus), new BigInteger(1, exponent)));
        } catch (GeneralSecurityException e) {
            throw new HsmException("the token returned an RSA public key the JDK cannot read: " + e.getMessage(), e);
        }
    }

    /** RFC 5280 key identifier method 1: SHA-1 of the subjectPublicKey bits, used as the key pair's CKA_ID. */
    static byte[] keyIdentifier(PublicKey key) {
        byte[] bits = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
        SHA1Digest sha1 = new SHA1Digest();
        sha1.update(bits, 0, bits.length);
        byte[] out = new byte[sha1.getDigestSize()];
        sha1.doFinal(out, 0);
        return out;
    }

    private static ASN1ObjectIdentifier curve(TokenKeyType type) {
        return switch (type) {
            case EC_P256 -> SECObjectIdentifiers.secp256r1;
            case EC_P384 -> SECObjectIdentifiers.secp384r1;
            default -> throw new IllegalArgumentException(type + " is not an EC key type");
        };
    }
}
