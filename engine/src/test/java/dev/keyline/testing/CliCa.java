package dev.keyline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.CaSecrets;

import dev.keyline.cli.Keyline;

/**
 * A software CA made through the real CLI, as a user makes one: {@code keyline ca init} with the passphrase in a file.
 *
 * @param folder         the CA folder ({@code --ca})
 * @param passphraseFile the file holding its passphrase ({@code --passphrase-file})
 */
public record CliCa(Path folder, Path passphraseFile) {

    public static final String SUBJECT = "CN=Test Device CA,O=Acme,C=US";

    /** An EC P-256 root, {@link #SUBJECT}, in {@code dir/ca}, its passphrase in {@code dir/ca-pass.txt}. */
    public static CliCa create(Path dir) throws IOException {
        Path passphrase = dir.resolve("ca-pass.txt");
        Files.writeString(passphrase, "correct horse battery staple\n");
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", SUBJECT, "--key", "ec-p256", "--out", ca.toString(),
                "--passphrase-file", passphrase.toString())).as("keyline ca init").isZero();
        return new CliCa(ca, passphrase);
    }

    /** The CA unlocked as a run unlocks it, for tests that hand a kit to the job themselves. */
    public CertificateAuthority authority() throws IOException {
        String passphrase = Files.readString(passphraseFile).strip();
        return new CaFolder(folder).keyStore().open(new CaSecrets(passphrase::toCharArray, java.util.Map.of()));
    }
}
