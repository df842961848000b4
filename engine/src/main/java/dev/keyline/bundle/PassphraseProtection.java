package dev.keyline.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.PBEParametersGenerator;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS12ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.MacCalculator;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12MacCalculatorBuilder;

/**
 * Passphrase encryption for bundles: PKCS#5 PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) for PKCS#8 keys
 * and PKCS#12 contents, and the PKCS#12 HMAC-SHA256 MAC. This is what OpenSSL 3 writes by default, so
 * {@code openssl pkey} and {@code openssl pkcs12} read the files without {@code -legacy}, and so does
 * the JDK's PKCS12 KeyStore.
 *
 * <p><b>Keys are derived once per instance, not per file.</b> PBKDF2 is slow by design: Bouncy Castle's
 * {@code JceOpenSSLPKCS8EncryptorBuilder}, which draws a new salt and derives per key, measured 1.4 ms
 * per key at 2,048 iterations and 62 ms at 100,000 on this machine, against a target of 5-10k devices per
 * second. So an instance draws one random salt, derives the AES key (and the PKCS#12 MAC key) once, and
 * then encrypts each file with a fresh random IV. Since every bundle of a run shares one passphrase,
 * per-file salts would not slow an attacker down (cracking any one file yields the passphrase for all);
 * what matters is the cost of one guess, the iteration count, which can therefore be high. The PKCS#12
 * MAC uses the same iteration count, so it is not the cheaper way to test guesses.
 *
 * <p>Not thread-safe (one {@code Cipher}, {@code Mac} and {@code SecureRandom} per instance): one per writer.
 */
public final class PassphraseProtection implements AutoCloseable {

    private static final int SALT_BYTES = 16;
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 16;
    private static final AlgorithmIdentifier PRF_HMAC_SHA256 =
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE);
    private static final AlgorithmIdentifier SHA256 =
            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);

    private final int iterations;
    private final SecureRandom random;
    private final KeyDerivationFunc kdf;
    private final byte[] aesKeyBytes;
    private final SecretKeySpec aesKey;
    private final Cipher cipher;
    private final AlgorithmIdentifier macAlgorithm;
    private final byte[] macKeyBytes;
    private final Mac mac;

    /**
     * Derives the keys: takes roughly {@code iterations} x 0.5 us here, once.
     *
     * @param passphrase read here and not kept; encoded as UTF-8 for PBKDF2 (as OpenSSL does) and as
     *                   BMPString for the PKCS#12 MAC (as PKCS#12 says)
     * @param iterations PBKDF2 and PKCS#12 MAC iteration count
     * @param random     draws the salts and the per-file IVs
     */
    public PassphraseProtection(char[] passphrase, int iterations, SecureRandom random) {
        Objects.requireNonNull(passphrase, "passphrase");
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("the passphrase is empty");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive, got " + iterations);
        }
        this.iterations = iterations;
        this.random = Objects.requireNonNull(random, "random");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] macSalt = new byte[SALT_BYTES];
        random.nextBytes(macSalt);
        this.kdf = new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2,
                new PBKDF2Params(salt, iterations, PRF_HMAC_SHA256));
        this.macAlgorithm = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256,
                new PKCS12PBEParams(macSalt, iterations));
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, KEY_BYTES * 8);
        byte[] bmpPassphrase = PBEParametersGenerator.PKCS12PasswordToBytes(passphrase);
        try {
            this.aesKeyBytes = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            this.aesKey = new SecretKeySpec(aesKeyBytes, "AES");
            this.cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            PKCS12ParametersGenerator gen = new PKCS12ParametersGenerator(new SHA256Digest());
            gen.init(bmpPassphrase, macSalt, iterations);
            this.macKeyBytes = ((KeyParameter) gen.generateDerivedMacParameters(KEY_BYTES * 8)).getKey();
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(macKeyBytes, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks PBKDF2WithHmacSHA256, AES/CBC or HmacSHA256: " + e, e);
        } finally {
            spec.clearPassword();
            Arrays.fill(bmpPassphrase, (byte) 0);
        }
    }

    public int iterations() {
        return iterations;
    }

    /** A PKCS#8 {@code EncryptedPrivateKeyInfo} (DER) of a {@code PrivateKeyInfo} (DER), with a fresh IV. */
    public byte[] encryptPrivateKey(byte[] pkcs8Der) {
        try {
            return encryptPrivateKeyInfo(pkcs8Der).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding failed: " + e.getMessage(), e);
        }
    }

    EncryptedPrivateKeyInfo encryptPrivateKeyInfo(byte[] pkcs8Der) {
        byte[] iv = newIv();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, aesKey, new IvParameterSpec(iv));
            return new EncryptedPrivateKeyInfo(pbes2(iv), cipher.doFinal(pkcs8Der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC encryption failed: " + e.getMessage(), e);
        }
    }

    /** A PBES2 encryptor for Bouncy Castle's PKCS#12 builders; each one has its own fresh IV. */
    public OutputEncryptor newEncryptor() {
        byte[] iv = newIv();
        AlgorithmIdentifier algorithm = pbes2(iv);
        return new OutputEncryptor() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return algorithm;
            }

            @Override
            public OutputStream getOutputStream(OutputStream out) {
                return new ByteArrayOutputStream(512) {
                    @Override
                    public void close() throws IOException {
                        try {
                            cipher.init(Cipher.ENCRYPT_MODE, aesKey, new IvParameterSpec(iv));
                            out.write(cipher.doFinal(buf, 0, count));
                        } catch (GeneralSecurityException e) {
                            throw new IOException("AES-256-CBC encryption failed: " + e.getMessage(), e);
                        } finally {
                            Arrays.fill(buf, (byte) 0);
                        }
                    }
                };
            }

            @Override
            public GenericKey getKey() {
                return new GenericKey(algorithm, aesKeyBytes);
            }
        };
    }

    /** The PKCS#12 MAC (HMAC-SHA256, PKCS#12 key derivation); the password given to it is ignored. */
    public PKCS12MacCalculatorBuilder macCalculatorBuilder() {
        return new PKCS12MacCalculatorBuilder() {
            @Override
            public MacCalculator build(char[] ignored) {
                mac.reset();
                return new MacCalculator() {
                    @Override
                    public AlgorithmIdentifier getAlgorithmIdentifier() {
                        return macAlgorithm;
                    }

                    @Override
                    public OutputStream getOutputStream() {
                        return new OutputStream() {
                            @Override
                            public void write(int b) {
                                mac.update((byte) b);
                            }

                            @Override
                            public void write(byte[] b, int off, int len) {
                                mac.update(b, off, len);
                            }
                        };
                    }

                    @Override
                    public byte[] getMac() {
                        return mac.doFinal();
                    }

                    @Override
                    public GenericKey getKey() {
                        return new GenericKey(macAlgorithm, macKeyBytes);
                    }
                };
            }

            @Override
            public AlgorithmIdentifier getDigestAlgorithmIdentifier() {
                return SHA256;
            }
        };
    }

    /** Clears the derived key bytes held here (the JCE objects keep their own copies until collected). */
    @Override
    public void close() {
        Arrays.fill(aesKeyBytes, (byte) 0);
        Arrays.fill(macKeyBytes, (byte) 0);
    }

    private byte[] newIv() {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        return iv;
    }

    private AlgorithmIdentifier pbes2(byte[] iv) {
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, new PBES2Parameters(kdf,
                new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(iv))));
    }
}
