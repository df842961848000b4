package dev.keyline.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.Test;

class PassphraseProtectionTest {

    private final DeviceBundle bundle = new TestPki().device("dev-pp");

    @Test
    void encryptsWithPbes2Pbkdf2HmacSha256AndAes256Cbc() throws Exception {
        try (PassphraseProtection protection = new PassphraseProtection(TestPki.PASSPHRASE, 1_000, new SecureRandom())) {
            EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(
                    protection.encryptPrivateKey(bundle.privateKey().getEncoded()));
            assertThat(info.getEncryptionAlgorithm().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_PBES2);
            PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
            PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
            assertThat(kdf.getIterationCount().intValue()).isEqualTo(1_000);
            assertThat(kdf.getPrf().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_hmacWithSHA256);
            assertThat(kdf.getSalt()).hasSize(16);
            assertThat(pbes2.getEncryptionScheme().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_aes256_CBC);
        }
    }

    @Test
    void bouncyCastlesOwnDecryptorRecoversTheKey() throws Exception {
        try (PassphraseProtection protection = new PassphraseProtection(TestPki.PASSPHRASE, 1_000, new SecureRandom())) {
            byte[] encrypted = protection.encryptPrivateKey(bundle.privateKey().getEncoded());
            byte[] decrypted = new PKCS8EncryptedPrivateKeyInfo(encrypted)
                    .decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                            .setProvider(new BouncyCastleProvider()).build(TestPki.PASSPHRASE))
                    .getEncoded();
            assertThat(decrypted).isEqualTo(bundle.privateKey().getEncoded());
        }
    }

    @Test
    void everyFileGetsAFreshIvUnderTheOneDerivedKey() throws Exception {
        try (PassphraseProtection protection = new PassphraseProtection(TestPki.PASSPHRASE, 1_000, new SecureRandom())) {
            byte[] key = bundle.privateKey().getEncoded();
            EncryptedPrivateKeyInfo a = EncryptedPrivateKeyInfo.getInstance(protection.encryptPrivateKey(key));
            EncryptedPrivateKeyInfo b = EncryptedPrivateKeyInfo.getInstance(protection.encryptPrivateKey(key));
            PBES2Parameters pa = PBES2Parameters.getInstance(a.getEncryptionAlgorithm().getParameters());
            PBES2Parameters pb = PBES2Parameters.getInstance(b.getEncryptionAlgorithm().getParameters());
            assertThat(pa.getEncryptionScheme().getParameters()).isNotEqualTo(pb.getEncryptionScheme().getParameters());
            assertThat(a.getEncryptedData()).isNotEqualTo(b.getEncryptedData());
            assertThat(pa.getKeyDerivationFunc()).isEqualTo(pb.getKeyDerivationFunc());
        }
    }

    @Test
    void twoInstancesDrawDifferentSalts() {
        try (PassphraseProtection one = new PassphraseProtection(TestPki.PASSPHRASE, 1_000, new SecureRandom());
             PassphraseProtection two = new PassphraseProtection(TestPki.PASSPHRASE, 1_000, new SecureRandom())) {
            byte[] key = bundle.privateKey().getEncoded();
            assertThat(salt(one.encryptPrivateKey(key))).isNotEqualTo(salt(two.encryptPrivateKey(key)));
        }
    }

    private static byte[] salt(byte[] encrypted) {
        EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(encrypted);
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
        return PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters()).getSalt();
    }
}
