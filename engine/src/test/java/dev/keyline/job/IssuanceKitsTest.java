package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.ca.store.CaFolder;
import dev.keyline.testing.CliCa;
import dev.keyline.testing.Manifests;
import dev.keyline.testing.RunRequests;

/**
 * A software CA unlocked once in a process serves its later kits (the CLI's check, then the execution's kit) while
 * its files stay as they were; changed files are unlocked afresh, with the passphrase.
 */
class IssuanceKitsTest {

    @TempDir
    Path dir;

    @Test
    void theExecutionsKitReusesTheCaTheCheckUnlockedUntilItsFilesChange() throws Exception {
        CliCa ca = CliCa.create(dir);
        java.security.cert.X509Certificate certificate = ca.authority().certificate();
        RunRequest request = RunRequests.twoPartitions(Manifests.devices(dir, 3), dir.resolve("out"), ca.folder())
                .build();
        IssuanceKits kits = new IssuanceKits(new RunSecrets(Optional.of(ca.passphraseFile()), Optional.empty(),
                Optional.empty(), Map.of()));

        try (IssuanceKit first = kits.open(request)) {
            assertThat(first.ca().certificate()).isEqualTo(certificate);
        }
        Files.delete(ca.passphraseFile());
        try (IssuanceKit again = kits.open(request)) {
            assertThat(again.ca().certificate()).as("no passphrase needed: not unlocked again")
                    .isEqualTo(certificate);
        }

        Path keyStore = ca.folder().resolve(CaFolder.KEY_STORE_FILE);
        Files.setLastModifiedTime(keyStore, FileTime.fromMillis(Files.getLastModifiedTime(keyStore).toMillis() + 60_000));
        assertThatThrownBy(() -> kits.open(request)).as("a changed ca.p12 is unlocked afresh, with the passphrase")
                .hasMessageContaining(ca.passphraseFile().toString());
    }

    @Test
    void aCaUnlockedInTheBackgroundServesTheKit() throws Exception {
        CliCa ca = CliCa.create(dir);
        RunRequest request = RunRequests.twoPartitions(Manifests.devices(dir, 3), dir.resolve("out"), ca.folder())
                .build();
        IssuanceKits kits = new IssuanceKits(new RunSecrets(Optional.of(ca.passphraseFile()), Optional.empty(),
                Optional.empty(), Map.of()));

        java.security.cert.X509Certificate certificate = ca.authority().certificate();

        kits.startUnlocking(ca.folder());
        unlockEnded();
        Files.delete(ca.passphraseFile());
        try (IssuanceKit kit = kits.open(request)) {
            assertThat(kit.ca().certificate()).as("unlocked in the background: no passphrase needed now")
                    .isEqualTo(certificate);
        }
    }

    @Test
    void aCaTheBackgroundCannotUnlockIsReportedByOpenAsWithoutIt() throws Exception {
        CliCa ca = CliCa.create(dir);
        RunRequest request = RunRequests.twoPartitions(Manifests.devices(dir, 3), dir.resolve("out"), ca.folder())
                .build();
        Files.writeString(ca.passphraseFile(), "not-the-passphrase");
        IssuanceKits background = new IssuanceKits(new RunSecrets(Optional.of(ca.passphraseFile()), Optional.empty(),
                Optional.empty(), Map.of()));
        IssuanceKits plain = new IssuanceKits(new RunSecrets(Optional.of(ca.passphraseFile()), Optional.empty(),
                Optional.empty(), Map.of()));

        background.startUnlocking(ca.folder());
        unlockEnded();
        Throwable expected = org.assertj.core.api.Assertions.catchThrowable(() -> plain.open(request));
        assertThat(expected).isNotNull();
        assertThatThrownBy(() -> background.open(request)).isInstanceOf(expected.getClass())
                .hasMessage(expected.getMessage());
    }

    /** Waits for the background unlock's thread to end: a state, not a time. */
    private static void unlockEnded() throws InterruptedException {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("keyline-ca-unlock")) {
                thread.join();
            }
        }
    }
}
