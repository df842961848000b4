package dev.keyline.ca.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import dev.keyline.ca.CaException;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.SignatureAlgorithms;
import dev.keyline.ca.SoftwareCaSigner;
import dev.keyline.keys.CryptoProviders;
import dev.keyline.keys.KeyAlgorithm;

/**
 * A CA key in software: {@code ca.p12} in the CA folder, a PKCS#12 store holding the private key and the chain under
 * the alias {@value #KEY_ALIAS}, protected by the CA passphrase. {@code ca.properties} says
 * {@code key.store=}{@value #NAME}.
 */
public record Pkcs12CaKeyStore(CaFolder folder) implements CaKeyStore {

    /** The {@code key.store} value of a folder whose key is in ca.p12. */
    public static final String NAME = "software";
    public static final String KEY_ALIAS = "ca";

    /** ca.properties of a folder whose key is in ca.p12. */
    private static final String PROPERTIES = "# Keyline CA folder. Where the CA's private key lives:\n"
            + "#   software  in ca.p12 next to this file (PKCS#12, alias \"ca\", protected by the CA passphrase)\n"
            + "#   pkcs11    in a PKCS#11 token (HSM), see hsm.config and key.label\n"
            + "format=1\n"
            + CaFolder.KEY_STORE_PROPERTY + "=" + NAME + "\n"
            + "key.file=" + CaFolder.KEY_STORE_FILE + "\n"
            + "key.alias=" + KEY_ALIAS + "\n";

    public Pkcs12CaKeyStore {
        Objects.requireNonNull(folder, "folder");
    }

    /** Opens ca.p12 with the passphrase {@code secrets} gives, which is wiped afterwards. */
    @Override
    public CertificateAuthority open(CaSecrets secrets, Clock clock) {
        char[] passphrase = secrets.passphrase().get();
        try {
            List<X509Certificate> chain = folder.verifiedChain(clock.instant());
            X509Certificate certificate = chain.get(0);
            PrivateKey key = readKey(passphrase);
            if (!keyMatches(key, certificate.getPublicKey())) {
                throw new CaException("the private key in " + folder.file(CaFolder.KEY_STORE_FILE)
                        + " does not belong to the certificate in " + folder.file(CaFolder.CERTIFICATE_FILE)
                        + ": the folder mixes files of two CAs; restore it from your backup");
            }
            return new CertificateAuthority(certificate, chain, new SoftwareCaSigner(key, certificate.getPublicKey()));
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /**
     * Writes the new CA folder with its key in ca.p12 (0600). Refuses an empty passphrase, a key that is not the
     * certificate's, and a folder that already holds a CA or any other file.
     *
     * @param chain the certificate's issuers up to the root; the certificate itself may come first or be left out
     */
    public void write(X509Certificate certificate, List<X509Certificate> chain, PrivateKey key, char[] passphrase) {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(passphrase, "passphrase");
        if (passphrase.length == 0) {
            throw new CaException("refusing to write " + folder.file(CaFolder.KEY_STORE_FILE)
                    + " with an empty passphrase: the CA key would be unprotected");
        }
        if (!keyMatches(key, certificate.getPublicKey())) {
            throw new CaException("the private key given for " + folder.dir() + " does not belong to its certificate");
        }
        List<X509Certificate> full = CaFolder.fullChain(certificate, chain);
        folder.write(certificate, chain, staging -> {
            staging.writeOwnerOnly(CaFolder.KEY_STORE_FILE, pkcs12(key, full, passphrase));
            staging.write(CaFolder.PROPERTIES_FILE, PROPERTIES);
        });
    }

    private PrivateKey readKey(char[] passphrase) {
        Path path = folder.requireFile(CaFolder.KEY_STORE_FILE);
        KeyStore store;
        try (InputStream in = Files.newInputStream(path)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, passphrase);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new CaException("the passphrase does not open " + path
                        + ": check KEYLINE_CA_PASSPHRASE or --passphrase-file");
            }
            throw new CaException("cannot read " + path + " as a PKCS#12 key store (" + e.getMessage()
                    + "): restore it from your backup", e);
        } catch (GeneralSecurityException e) {
            throw new CaException("cannot read " + path + " as a PKCS#12 key store (" + e.getMessage() + ")", e);
        }
        try {
            Key key = store.getKey(KEY_ALIAS, passphrase);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new CaException(path + " has no private key under the alias \"" + KEY_ALIAS
                        + "\": it was not written by Keyline; re-create the CA or import the key under that alias");
            }
            return privateKey;
        } catch (UnrecoverableKeyException e) {
            throw new CaException("the passphrase opens " + path + " but not the key in it: "
                    + "the key was protected with another passphrase; re-export it with the store's passphrase");
        } catch (GeneralSecurityException e) {
            throw new CaException("cannot read the CA key from " + path + ": " + e.getMessage(), e);
        }
    }

    private static byte[] pkcs12(PrivateKey key, List<X509Certificate> chain, char[] passphrase) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(KEY_ALIAS, key, passphrase, chain.toArray(new X509Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, passphrase);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new CaException("cannot build the PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    /** Proves that the private key belongs to the public key by signing and verifying a challenge. */
    private static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) {
        KeyAlgorithm algorithm = KeyAlgorithm.of(publicKey).orElseThrow(() -> new CaException(
                "unsupported CA key (" + publicKey.getAlgorithm() + "): use one of " + KeyAlgorithm.validIds()));
        String name = SignatureAlgorithms.signatureAlgorithm(algorithm, "SHA-256");
        byte[] challenge = "keyline: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(name, CryptoProviders.bc());
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(name, CryptoProviders.bc());
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
