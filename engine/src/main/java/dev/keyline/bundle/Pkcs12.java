package dev.keyline.bundle;

import java.io.IOException;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;

/**
 * PKCS#12 as OpenSSL 3 writes it by default: the key in a PBES2-shrouded key bag, the certificates in a
 * PBES2-encrypted safe, an HMAC-SHA256 MAC; the device's key and certificate paired by
 * {@code localKeyId} and named by {@code friendlyName} (the device id, which Java uses as the alias).
 */
final class Pkcs12 {

    private Pkcs12() {
    }

    /** The chain's certificate bags; they are the same for every device, so callers keep them. */
    static PKCS12SafeBag[] chainBags(List<byte[]> chainDer) throws IOException {
        PKCS12SafeBag[] bags = new PKCS12SafeBag[chainDer.size()];
        for (int i = 0; i < bags.length; i++) {
            bags[i] = new PKCS12SafeBagBuilder(Certificate.getInstance(chainDer.get(i))).build();
        }
        return bags;
    }

    /**
     * @param encryptedKey the device key, already encrypted by {@code protection}
     * @param localKeyId   pairs the key with its certificate (by convention the SHA-1 of the certificate)
     */
    static byte[] encode(String deviceId, byte[] certificateDer, EncryptedPrivateKeyInfo encryptedKey,
                         byte[] localKeyId, PKCS12SafeBag[] chainBags, PassphraseProtection protection)
            throws IOException {
        DEROctetString keyId = new DEROctetString(localKeyId);
        DERBMPString name = new DERBMPString(deviceId);
        PKCS12SafeBag certBag = new PKCS12SafeBagBuilder(Certificate.getInstance(certificateDer))
                .addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, name)
                .addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, keyId)
                .build();
        PKCS12SafeBag keyBag = new PKCS12SafeBag(new SafeBag(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag, encryptedKey,
                new DERSet(new ASN1Encodable[] {
                        new Attribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERSet(name)),
                        new Attribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DERSet(keyId))})));
        PKCS12SafeBag[] certBags = new PKCS12SafeBag[1 + chainBags.length];
        certBags[0] = certBag;
        System.arraycopy(chainBags, 0, certBags, 1, chainBags.length);
        try {
            return new PKCS12PfxPduBuilder()
                    .addEncryptedData(protection.newEncryptor(), certBags)
                    .addData(keyBag)
                    .build(protection.macCalculatorBuilder(), new char[0])
                    .getEncoded(ASN1Encoding.DER);
        } catch (PKCSException e) {
            throw new BundleWriteException(deviceId, "PKCS#12 encoding failed: " + e.getMessage(), e);
        }
    }
}
