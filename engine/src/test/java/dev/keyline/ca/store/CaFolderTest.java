package dev.keyline.ca.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.bundle.Pem;
import dev.keyline.ca.CaException;
import dev.keyline.ca.TestCas;

class CaFolderTest {

    private static final char[] PASS = "correct horse".toCharArray();
    private static final KeyPair KEY = TestCas.p256();
    private static final X509Certificate ROOT = TestCas.root("CN=Test Root,O=Keyline,C=US", KEY);

    @TempDir
    Path tmp;

    @Test
    void missingFolderSaysHowToCreateOne() {
        Path dir = tmp.resolve("nowhere");
        assertThat(new CaFolder(dir).holdsCa()).isFalse();
        assertThatThrownBy(() -> new CaFolder(dir).keyStore())
                .isInstanceOf(CaException.class)
                .hasMessage("no CA at " + dir + ": create one with `keyline ca init --out " + dir + "`");
    }

    @Test
    void leavesNoStagingFolderBehind() throws Exception {
        new Pkcs12CaKeyStore(new CaFolder(tmp.resolve("ca"))).write(ROOT, List.of(), KEY.getPrivate(), PASS);
        try (var entries = Files.list(tmp)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("ca");
        }
    }

    @Test
    void aWriteThatFailsHalfWayLeavesNoFolderAndNoPartialFile() throws Exception {
        CaFolder folder = new CaFolder(tmp.resolve("ca"));
        assertThatThrownBy(() -> folder.write(ROOT, List.of(), staging -> {
            staging.writeOwnerOnly(CaFolder.KEY_STORE_FILE, new byte[] {1, 2, 3});
            throw new IOException("No space left on device");
        })).isInstanceOf(CaException.class)
                .hasMessageContaining("cannot write the CA folder " + folder.dir() + ": No space left on device");
        try (var entries = Files.list(tmp)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void anOwnerOnlyFileIs0600AndTheFolder0700() throws Exception {
        CaFolder folder = new CaFolder(tmp.resolve("ca"));
        folder.write(ROOT, List.of(), staging -> {
            staging.writeOwnerOnly("secret.bin", new byte[] {42});
            staging.write("notes.txt", "plain");
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.dir()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.file("secret.bin"))))
                .isEqualTo("rw-------");
        assertThat(Files.readAllBytes(folder.file("secret.bin"))).containsExactly(42);
        assertThat(Files.readString(folder.file("notes.txt"))).isEqualTo("plain");
        assertThat(Files.readAllBytes(folder.file(CaFolder.CHAIN_FILE))).isEqualTo(Pem.certificates(List.of(ROOT)));
    }

    @Test
    void choosesTheKeyStoreThatCaPropertiesNames() throws Exception {
        CaFolder software = written("software", "key.store=software\n");
        assertThat(software.keyStore()).isEqualTo(new Pkcs12CaKeyStore(software));

        CaFolder token = written("token", "key.store = PKCS11\nhsm.config=../hsm.yaml\nkey.label=line-4 ca\n");
        assertThat(token.keyStore()).isEqualTo(new Pkcs11CaKeyStore(token, token.dir().resolve("../hsm.yaml"), "line-4 ca"));
    }

    @Test
    void anUnknownKeyStoreIsRefusedWithTheChoices() throws Exception {
        CaFolder folder = written("ca", "key.store=vault\n");
        assertThatThrownBy(folder::keyStore).isInstanceOf(CaException.class)
                .hasMessage(folder.file("ca.properties") + ": key.store is \"vault\"; it must be software (key in ca.p12) "
                        + "or pkcs11 (key in a token)");
    }

    @Test
    void aTokenCaIsOpenedWithoutAskingForThePassphrase() throws Exception {
        CaFolder folder = written("ca", "key.store=pkcs11\nhsm.config=missing-hsm.yaml\nkey.label=ca\n");
        CaSecrets noPassphrase = new CaSecrets(() -> fail("a CA whose key is in a token asked for the CA passphrase"),
                Map.of());
        assertThatThrownBy(() -> folder.keyStore().open(noPassphrase))
                .isInstanceOf(CaException.class).hasMessageStartingWith("cannot unlock the CA in " + folder.dir() + ": ")
                .hasMessageContaining("missing-hsm.yaml");
    }

    @Test
    void aTokenCaFolderWithoutItsHsmConfigurationIsRefusedByName() throws Exception {
        CaFolder folder = written("ca", "key.store=pkcs11\nkey.label=ca\n");
        assertThatThrownBy(folder::keyStore)
                .isInstanceOf(CaException.class).hasMessageContaining("has no hsm.config");
    }

    @Test
    void refusesAChainThatDoesNotStartWithTheCaCertificate() throws Exception {
        CaFolder folder = written("ca", "key.store=software\n");
        X509Certificate other = TestCas.root("CN=Other Root", TestCas.p256());
        Files.write(folder.file(CaFolder.CHAIN_FILE), Pem.certificates(List.of(other)));
        assertThatThrownBy(() -> folder.verifiedChain(Instant.now())).isInstanceOf(CaException.class)
                .hasMessageContaining(folder.file("chain.pem") + " does not start with the certificate in "
                        + folder.file("ca.crt.pem"));
    }

    @Test
    void refusesAChainWhoseCertificateIsNotSignedByTheNext() throws Exception {
        CaFolder folder = written("ca", "key.store=software\n");
        X509Certificate other = TestCas.root("CN=Other Root", TestCas.p256());
        Files.write(folder.file(CaFolder.CHAIN_FILE), Pem.certificates(List.of(ROOT, other)));
        assertThatThrownBy(() -> folder.verifiedChain(Instant.now())).isInstanceOf(CaException.class)
                .hasMessage(folder.file("chain.pem") + ": certificate 1 (" + ROOT.getSubjectX500Principal().getName()
                        + ") is not signed by the next one (CN=Other Root): restore the chain from your backup");
    }

    /** A folder with ROOT's certificates and the given ca.properties, and no key. */
    private CaFolder written(String name, String properties) {
        CaFolder folder = new CaFolder(tmp.resolve(name));
        folder.write(ROOT, List.of(), staging -> staging.write(CaFolder.PROPERTIES_FILE, properties));
        return folder;
    }
}
