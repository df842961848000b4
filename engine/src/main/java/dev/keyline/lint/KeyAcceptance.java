package dev.keyline.lint;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Whether AWS IoT accepts a device key: RSA of at least 2048 bits, or EC on P-256, P-384 or P-521 (reference/aws-iot.md
 * section 4; the EC list is documented for CSRs and assumed for registered certificates). Ed25519 is documented
 * nowhere, so it is a warning, not an error. The curve is read from the key's OID: bit size alone would take
 * secp256k1 for P-256.
 */
final class KeyAcceptance {

    static final String CODE = "certificate.key";

    private static final Map<String, String> CURVES = Map.of(
            "1.2.840.10045.3.1.7", "P-256", "1.3.132.0.34", "P-384", "1.3.132.0.35", "P-521");

    private KeyAcceptance() {
    }

    /** Notes the key ({@code EC P-256}) as passed, or the finding when AWS would refuse it. */
    static void check(PublicKey key, Observations seen) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits >= 2048) {
                seen.ok("key RSA " + bits + " bits: accepted by AWS IoT");
            } else {
                seen.add(Finding.error(CODE, "key", "RSA " + bits, "the device key is RSA " + bits + " bits; AWS IoT "
                        + "refuses RSA keys under 2048 bits at registration", "issue the device a new key: RSA 2048 or more, or EC P-256"));
            }
        } else if (key.getAlgorithm().equals("EC")) {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
            String oid = info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier o ? o.getId() : "explicit parameters";
            String curve = CURVES.get(oid);
            if (curve != null) {
                seen.ok("key EC " + curve + ": accepted by AWS IoT");
            } else {
                seen.add(Finding.error(CODE, "key", "EC " + oid, "the device key is on the EC curve " + oid
                        + "; AWS IoT accepts P-256, P-384 and P-521", "issue the device a new key on P-256"));
            }
        } else if (key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA")) {
            seen.add(Finding.warning(CODE, "key", key.getAlgorithm(), "the device key is Ed25519, which no AWS IoT "
                    + "document lists as accepted", "prefer EC P-256, which AWS IoT documents"));
        } else {
            seen.add(Finding.error(CODE, "key", key.getAlgorithm(), "the device key is " + key.getAlgorithm()
                    + "; AWS IoT accepts RSA (2048 bits or more) and EC P-256/P-384/P-521", "issue the device an EC P-256 key"));
        }
    }
}
