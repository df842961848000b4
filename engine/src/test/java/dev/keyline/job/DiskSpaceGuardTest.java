package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.bundle.BundleLayout;
import dev.keyline.error.KeylineException;

class DiskSpaceGuardTest {

    private static final long KB = 1024;

    @TempDir
    Path out;

    @Test
    void aChunkStartsWhileTheDiskHoldsItsReserve() {
        DiskSpaceGuard guard = new DiskSpaceGuard(List.of(new DiskSpaceGuard.Reserve(out, new FixedStore(500 * KB),
                500 * KB)));
        assertThatCode(guard::check).doesNotThrowAnyException();
    }

    @Test
    void belowItTheChunkFailsWithTheFolderAndBothFigures() {
        Path ledger = out.resolve(".keyline");
        DiskSpaceGuard guard = new DiskSpaceGuard(List.of(
                new DiskSpaceGuard.Reserve(out, new FixedStore(10 * KB * KB), 3 * KB * KB),
                new DiskSpaceGuard.Reserve(ledger, new FixedStore(500 * KB), 600 * KB)));
        assertThatThrownBy(guard::check).isInstanceOfSatisfying(DiskSpaceLowException.class, e -> {
            assertThat(e.folder()).isEqualTo(ledger);
            assertThat(e.usableBytes()).isEqualTo(500 * KB);
            assertThat(e.reserveBytes()).isEqualTo(600 * KB);
            // exit 1, restartable: a restart goes on once there is room
            assertThat(e.kind()).isEqualTo(KeylineException.Kind.TRANSIENT);
            assertThat(e.getMessage()).startsWith("no space left on device for " + ledger + ": 500.0 KB free")
                    .contains("600.0 KB");
        });
    }

    @Test
    void aFileSystemThatCannotTellItsSpaceIsNotAReasonToStop() {
        DiskSpaceGuard guard = new DiskSpaceGuard(List.of(new DiskSpaceGuard.Reserve(out, new FixedStore(-1), KB)));
        assertThatCode(guard::check).doesNotThrowAnyException();
    }

    @Test
    void theLedgerBesideTheBundlesAddsToOneReserveForEveryThreadsChunk() throws Exception {
        Files.createDirectories(out.resolve(".keyline"));
        DiskSpaceGuard guard = DiskSpaceGuard.of(out, Optional.of(out.resolve(".keyline")), BundleLayout.DIR, false,
                20, 2);
        assertThat(guard.reserves()).singleElement().satisfies(r -> {
            assertThat(r.folder()).isEqualTo(out);
            // per thread: 20 bundles of 16 KB, 20 ledger rows of 2 KB and one commit of 32 KB; then the closing writes
            assertThat(r.bytes()).isEqualTo(2 * (20 * 16 * KB + 20 * 2 * KB + 32 * KB) + DiskSpaceGuard.CLOSING_BYTES);
        });
    }

    @Test
    void aLedgerOnAServerTakesNothingHere() throws Exception {
        DiskSpaceGuard guard = DiskSpaceGuard.of(out, Optional.empty(), BundleLayout.ARCHIVE, true, 500, 4);
        assertThat(guard.reserves()).singleElement()
                .satisfies(r -> assertThat(r.bytes()).isEqualTo(4 * 500 * 6 * KB + DiskSpaceGuard.CLOSING_BYTES));
    }

    @Test
    void theBundlesFolderNeedNotExistYet() throws Exception {
        Path notYet = out.resolve("new-output");
        DiskSpaceGuard guard = DiskSpaceGuard.of(notYet, Optional.empty(), BundleLayout.DIR, false, 10, 1);
        assertThat(guard.reserves()).singleElement().satisfies(r -> {
            assertThat(r.folder()).isEqualTo(notYet);
            assertThat(r.store()).isEqualTo(Files.getFileStore(out));
        });
    }

    /** A disk with a fixed amount of usable room; negative: it cannot tell. */
    private static final class FixedStore extends FileStore {

        private final long usable;

        FixedStore(long usable) {
            this.usable = usable;
        }

        @Override
        public long getUsableSpace() throws IOException {
            if (usable < 0) {
                throw new IOException("statvfs failed");
            }
            return usable;
        }

        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public String type() {
            return "test";
        }

        @Override
        public boolean isReadOnly() {
            return false;
        }

        @Override
        public long getTotalSpace() {
            return Math.max(usable, 0);
        }

        @Override
        public long getUnallocatedSpace() {
            return Math.max(usable, 0);
        }

        @Override
        public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
            return false;
        }

        @Override
        public boolean supportsFileAttributeView(String name) {
            return false;
        }

        @Override
        public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
            return null;
        }

        @Override
        public Object getAttribute(String attribute) {
            return null;
        }
    }
}
