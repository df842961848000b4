package dev.keyline.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {

    @TempDir
    Path dir;

    @Test
    void syncFsIsAvailableOnLinux() {
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(SyncFs.isAvailable()).as("syncfs through JNA").isTrue();
        }
    }

    @Test
    void syncFsSyncSucceedsAndIsRefusedAfterClose() throws Exception {
        SyncFs syncFs = SyncFs.open(dir);
        Files.writeString(dir.resolve("a"), "a");
        syncFs.fileWritten(dir.resolve("a"));
        syncFs.sync();
        syncFs.sync();
        syncFs.close();
        syncFs.close();
        assertThatThrownBy(syncFs::sync).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void syncFsOfAMissingDirectoryFailsNamingIt() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> SyncFs.open(missing)).hasMessageContaining(missing.toString());
    }

    @Test
    void forceEachFileSyncsEveryFileAndDirectoryThenForgetsThem() throws Exception {
        ForceEachFile force = new ForceEachFile();
        Path sub = Files.createDirectory(dir.resolve("sub"));
        force.fileWritten(Files.writeString(sub.resolve("a"), "a"));
        force.fileWritten(Files.writeString(sub.resolve("b"), "b"));
        force.directoryChanged(sub);
        force.directoryChanged(dir);
        force.directoryChanged(sub);
        assertThat(force.pending()).isEqualTo(4);
        force.sync();
        assertThat(force.pending()).isZero();
    }

    @Test
    void forceEachFileSkipsAFileRemovedSinceButNotAMissingDirectory() throws Exception {
        ForceEachFile force = new ForceEachFile();
        Path gone = Files.writeString(dir.resolve("gone"), "x");
        force.fileWritten(gone);
        Files.delete(gone);
        force.sync();
        force.directoryChanged(dir.resolve("no-such-dir"));
        assertThatThrownBy(force::sync).hasMessageContaining("no-such-dir");
    }

    @Test
    void explicitModesAreHonoured() throws Exception {
        try (Durability force = Durability.open(DurabilityMode.FORCE_EACH_FILE, dir)) {
            assertThat(force).isInstanceOf(ForceEachFile.class);
        }
        try (Durability sync = Durability.open(DurabilityMode.SYNCFS, dir)) {
            assertThat(sync).isInstanceOf(SyncFs.class);
        }
    }
}
