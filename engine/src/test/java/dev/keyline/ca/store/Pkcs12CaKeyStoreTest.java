package dev.keyline.ca.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.ca.CaException;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.OpenSsl;
import dev.keyline.ca.TestCas;

class Pkcs12CaKeyStoreTest {

    private static final char[] PASS = "correct horse".toCharArray();
    private static final CaSecrets SECRETS = new CaSecrets(PASS::clone, Map.of());
    private static final KeyPair KEY = TestCas.p256();
    private static final X509Certificate ROOT = TestCas.root("CN=Test Root,O=Keyline,C=US", KEY);

    @TempDir
    Path tmp;

    private static Pkcs12CaKeyStore store(Path dir) {
        return new Pkcs12CaKeyStore(new CaFolder(dir));
    }

    @Test
    void writesAFolderThatLoadsBackAndSigns() throws Exception {
        Path dir = tmp.resolve("ca");
        store(dir).write(ROOT, List.of(), KEY.getPrivate(), PASS);

        assertThat(new CaFolder(dir).holdsCa()).isTrue();
        assertThat(dir).isDirectoryContaining(p -> p.getFileName().toString().equals("ca.crt.pem"))
                .isDirectoryContaining(p -> p.getFileName().toString().equals("chain.pem"))
                .isDirectoryContaining(p -> p.getFileName().toString().equals("ca.p12"));
        assertThat(Files.readString(dir.resolve("ca.properties"))).contains("key.store=software");

        CertificateAuthority ca = new CaFolder(dir).keyStore().open(SECRETS);
        assertThat(ca.certificate()).isEqualTo(ROOT);
        assertThat(ca.chain()).containsExactly(ROOT);
        assertThat(ca.signer().signatureAlgorithm()).isEqualTo("SHA256withECDSA");
        byte[] data = "tbs".getBytes();
        assertThat(TestCas.verify(ca.signer(), data, TestCas.sign(ca.signer(), data))).isTrue();
        assertThat(ca.subject().toString()).isEqualTo("CN=Test Root,O=Keyline,C=US");
        assertThat(ca.toString()).doesNotContain("correct horse");
    }

    @Test
    void givesTheKeyStoreAndFolderOwnerOnlyPermissions() throws Exception {
        Path dir = tmp.resolve("ca");
        store(dir).write(ROOT, List.of(ROOT), KEY.getPrivate(), PASS);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.p12")))).isEqualTo("rw-------");
    }

    @Test
    void openSslReadsTheKeyStoreAndChain() throws Exception {
        Path dir = tmp.resolve("ca");
        store(dir).write(ROOT, List.of(), KEY.getPrivate(), PASS);
        Path passFile = Files.writeString(tmp.resolve("pass.txt"), new String(PASS));
        String out = OpenSsl.ok("pkcs12", "-in", dir.resolve("ca.p12").toString(), "-passin", "file:" + passFile,
                "-nodes", "-info");
        assertThat(out).contains("BEGIN PRIVATE KEY").contains("friendlyName: ca").contains("subject=CN = Test Root");
        assertThat(OpenSsl.ok("x509", "-noout", "-subject", "-in", dir.resolve("chain.pem").toString()))
                .contains("CN = Test Root");
    }

    @Test
    void refusesToOverwriteAnExistingCa() {
        Path dir = tmp.resolve("ca");
        store(dir).write(ROOT, List.of(), KEY.getPrivate(), PASS);
        assertThatThrownBy(() -> store(dir).write(ROOT, List.of(), KEY.getPrivate(), PASS))
                .isInstanceOf(CaException.class).hasMessageContaining(dir + " already holds a CA");
    }

    @Test
    void refusesANonEmptyFolderButAcceptsAnEmptyOne() throws Exception {
        Path busy = Files.createDirectory(tmp.resolve("busy"));
        Files.writeString(busy.resolve("notes.txt"), "keep me");
        assertThatThrownBy(() -> store(busy).write(ROOT, List.of(), KEY.getPrivate(), PASS))
                .isInstanceOf(CaException.class).hasMessageContaining(busy + " is not empty");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        store(empty).write(ROOT, List.of(), KEY.getPrivate(), PASS);
        assertThat(store(empty).open(SECRETS).certificate()).isEqualTo(ROOT);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(empty))).isEqualTo("rwx------");
    }

    @Test
    void wrongPassphraseSaysWhatToCheck() {
        Path dir = tmp.resolve("ca");
        store(dir).write(ROOT, List.of(), KEY.getPrivate(), PASS);
        assertThatThrownBy(() -> store(dir).open(new CaSecrets("wrong"::toCharArray, Map.of())))
                .isInstanceOf(CaException.class)
                .hasMessage("the passphrase does not open " + dir.resolve("ca.p12")
                        + ": check KEYLINE_CA_PASSPHRASE or --passphrase-file");
    }

    @Test
    void wipesThePassphraseItIsGiven() {
        Path dir = tmp.resolve("ca");
        store(dir).write(ROOT, List.of(), KEY.getPrivate(), PASS);
        char[] given = PASS.clone();
        store(dir).open(new CaSecrets(() -> given, Map.of()));
        assertThat(given).containsOnly('\0');
    }

    @Test
    void missingFileIsNamed() throws Exception {
        Path dir = tmp.resolve("ca");
        store(dir).write(ROOT, List.of(), KEY.getPrivate(), PASS);
        Files.delete(dir.resolve("chain.pem"));
        assertThatThrownBy(() -> store(dir).open(SECRETS))
                .isInstanceOf(CaException.class).hasMessageContaining(dir.resolve("chain.pem") + " is missing");
    }

    @Test
    void refusesToWriteACertificateThatIsNotACa() {
        KeyPair pair = TestCas.p256();
        X509Certificate leaf = TestCas.selfSigned("CN=not a ca", pair, false, Instant.now(), Duration.ofDays(1));
        assertThatThrownBy(() -> store(tmp.resolve("ca")).write(leaf, List.of(), pair.getPrivate(), PASS))
                .isInstanceOf(CaException.class).hasMessageContaining("is not a CA certificate")
                .hasMessageContaining("basicConstraints CA:TRUE");
    }

    @Test
    void refusesAKeyThatDoesNotMatchTheCertificate() {
        assertThatThrownBy(() -> store(tmp.resolve("ca")).write(ROOT, List.of(), TestCas.p256().getPrivate(), PASS))
                .isInstanceOf(CaException.class).hasMessageContaining("does not belong to its certificate");
    }

    @Test
    void loadRefusesAKeyStoreFromAnotherCa() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        store(a).write(ROOT, List.of(), KEY.getPrivate(), PASS);
        KeyPair other = TestCas.p256();
        store(b).write(TestCas.root("CN=Other", other), List.of(), other.getPrivate(), PASS);
        Files.copy(b.resolve("ca.p12"), a.resolve("ca.p12"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> store(a).open(SECRETS))
                .isInstanceOf(CaException.class)
                .hasMessageContaining("private key in " + a.resolve("ca.p12") + " does not belong to the certificate");
    }

    @Test
    void loadRefusesAnExpiredCa() {
        Path dir = tmp.resolve("ca");
        store(dir).write(ROOT, List.of(), KEY.getPrivate(), PASS);
        Clock later = Clock.fixed(ROOT.getNotAfter().toInstant().plusSeconds(1), ZoneOffset.UTC);
        assertThatThrownBy(() -> store(dir).open(SECRETS, later))
                .isInstanceOf(CaException.class).hasMessageContaining("expired on " + ROOT.getNotAfter().toInstant());
    }

    @Test
    void refusesAnEmptyPassphrase() {
        assertThatThrownBy(() -> store(tmp.resolve("ca")).write(ROOT, List.of(), KEY.getPrivate(), new char[0]))
                .isInstanceOf(CaException.class).hasMessageContaining("empty passphrase");
        assertThat(tmp.resolve("ca")).doesNotExist();
    }
}
