package dev.keyline.bundle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS12SafeBag;

import dev.keyline.digest.Sha256;

/**
 * Turns a {@link DeviceBundle} into the files of a bundle, whatever the layout that then stores them:
 * <pre>
 * device.crt.pem   the device certificate
 * device.key.pem   PKCS#8 "PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" with a passphrase (secret)
 * chain.pem        issuing CA first, then above
 * device.p12       when asked: key, certificate and chain (secret)
 * device.key.json     instead of the key file, for a key made in a PKCS#11 token: where it is (see {@link KeyReferenceJson})
 * device.key.wrapped  with it, for a key exported wrapped: the RFC 5649 ciphertext of its PKCS#8 (secret)
 * </pre>
 * A bundle without a private key (a CSR made on the device, a key kept in an HSM) has no key file and no PKCS#12.
 *
 * <p>With a passphrase the encryption keys are derived once, here (see {@link PassphraseProtection}), not per device.
 * The chain is the same for (nearly) every device: encoded once and reused while the same objects come.
 *
 * <p><b>Not thread-safe</b>: one per bundle writer.
 */
public final class BundleEncoder implements AutoCloseable {

    public static final String CERTIFICATE_FILE = "device.crt.pem";
    public static final String KEY_FILE = "device.key.pem";
    public static final String CHAIN_FILE = "chain.pem";
    public static final String PKCS12_FILE = "device.p12";
    public static final String KEY_REFERENCE_FILE = "device.key.json";
    public static final String WRAPPED_KEY_FILE = "device.key.wrapped";

    private final boolean pkcs12;
    private final boolean fileSums;
    private final PassphraseProtection protection;
    private final MessageDigest sha256;
    private final MessageDigest sha1;
    private final PrivateKeyInfoEncoder privateKeyInfo = new PrivateKeyInfoEncoder();

    private List<X509Certificate> cachedChain;
    private byte[] chainPem;
    private String chainSha256;
    private PKCS12SafeBag[] chainBags;

    /**
     * With a passphrase, derives the encryption keys: a fraction of a second at the default iteration count.
     *
     * @param fileSums whether each entry carries its SHA-256 ({@link BundleEntry#sha256()}): a layout that lists every
     *                 file in SHA256SUMS needs them; the archive layout lists its archives, and nothing reads the sums
     *                 of the files inside (two digests per device, for nothing)
     */
    public BundleEncoder(BundleOptions options, SecureRandom random, boolean fileSums) {
        this.pkcs12 = options.pkcs12();
        this.fileSums = fileSums;
        this.sha256 = Sha256.newDigest();
        this.sha1 = digest("SHA-1");
        this.protection = options.passphrase()
                .map(p -> new PassphraseProtection(p, options.pbkdf2Iterations(), random))
                .orElse(null);
    }

    /**
     * The bundle's files in writing order. Wipe every entry ({@link BundleEntry#wipe()}) once it is written:
     * secret entries hold the (perhaps unencrypted) private key.
     */
    public List<BundleEntry> encode(DeviceBundle bundle) {
        String id = bundle.deviceId();
        prepareChain(bundle);
        List<BundleEntry> entries = new ArrayList<>(4);
        entries.add(entry(CERTIFICATE_FILE, Pem.certificate(bundle.certificateDer()), false));
        if (bundle.privateKey() != null) {
            byte[] pkcs8 = pkcs8(bundle);
            try {
                EncryptedPrivateKeyInfo encrypted = protection == null ? null : protection.encryptPrivateKeyInfo(pkcs8);
                byte[] keyPem = encrypted == null ? Pem.privateKey(pkcs8) : Pem.encryptedPrivateKey(encrypted.getEncoded(ASN1Encoding.DER));
                entries.add(entry(KEY_FILE, keyPem, true));
                entries.add(new BundleEntry(CHAIN_FILE, chainPem, false, chainSha256));
                if (pkcs12) { // BundleOptions guarantees a passphrase, hence `encrypted`
                    byte[] p12 = Pkcs12.encode(id, bundle.certificateDer(), encrypted,
                            sha1.digest(bundle.certificateDer()), chainBags, protection);
                    entries.add(entry(PKCS12_FILE, p12, true));
                }
            } catch (java.io.IOException e) {
                entries.forEach(BundleEntry::wipe);
                throw new BundleWriteException(id, "the private key cannot be encoded: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                entries.forEach(BundleEntry::wipe);
                throw e;
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
        } else {
            if (bundle.keyReference().isPresent()) {
                KeyReference reference = bundle.keyReference().get();
                if (reference instanceof KeyReference.Wrapped wrapped) {
                    // a copy: the entry is wiped once written, the reference may be written again on a retry
                    byte[] wrappedKey = wrapped.wrapped().clone();
                    String wrappedSha256 = Hex.of(sha256.digest(wrappedKey)); // named in the reference, in any layout
                    BundleEntry wrappedEntry = new BundleEntry(WRAPPED_KEY_FILE, wrappedKey, true,
                            fileSums ? wrappedSha256 : null);
                    entries.add(entry(KEY_REFERENCE_FILE, KeyReferenceJson.encode(id, reference, WRAPPED_KEY_FILE,
                            wrappedSha256), false));
                    entries.add(wrappedEntry);
                } else {
                    entries.add(entry(KEY_REFERENCE_FILE, KeyReferenceJson.encode(id, reference, null, null), false));
                }
            }
            entries.add(new BundleEntry(CHAIN_FILE, chainPem, false, chainSha256));
        }
        return entries;
    }

    @Override
    public void close() {
        if (protection != null) {
            protection.close();
        }
    }

    private BundleEntry entry(String name, byte[] bytes, boolean secret) {
        return new BundleEntry(name, bytes, secret, fileSums ? Hex.of(sha256.digest(bytes)) : null);
    }

    private void prepareChain(DeviceBundle bundle) {
        List<X509Certificate> chain = bundle.chain();
        if (sameObjects(chain, cachedChain)) {
            return;
        }
        List<byte[]> der = new ArrayList<>(chain.size());
        try {
            for (X509Certificate certificate : chain) {
                der.add(certificate.getEncoded());
            }
            chainPem = Pem.certificates(chain);
            chainBags = pkcs12 ? Pkcs12.chainBags(der) : null;
        } catch (CertificateEncodingException e) {
            throw new BundleWriteException(bundle.deviceId(), "a chain certificate cannot be encoded: " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new BundleWriteException(bundle.deviceId(), "the chain cannot be encoded: " + e.getMessage(), e);
        }
        chainSha256 = fileSums ? Hex.of(sha256.digest(chainPem)) : null;
        cachedChain = chain;
    }

    private static boolean sameObjects(List<X509Certificate> a, List<X509Certificate> b) {
        if (a == b) {
            return true;
        }
        if (b == null || a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    private byte[] pkcs8(DeviceBundle bundle) {
        PrivateKey key = bundle.privateKey();
        byte[] publicKeyInfo = key instanceof ECPrivateKey ? bundle.subjectPublicKeyInfo() : null;
        byte[] der = privateKeyInfo.encode(key, publicKeyInfo);
        if (der == null) {
            throw new BundleWriteException(bundle.deviceId(), "the " + key.getAlgorithm() + " private key cannot be exported as PKCS#8"
                    + " (a key kept in an HSM must be passed as null: the bundle then holds no key file)");
        }
        return der;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }
}
