package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.job.DiskSpaceLowException;

class DiskFullTest {

    @TempDir
    Path out;

    @Test
    void aRunStoppedShortOfRoomNamesTheFolderWhoseDiskIsShortAndWhatItNeeds() {
        Path ledger = out.resolve(".keyline");
        // a wrapper whose message repeats the cause's text must not hide which folder it was
        DiskSpaceLowException low = new DiskSpaceLowException(ledger, 1000, 3 * 1024 * 1024);
        RuntimeException failure = new IllegalStateException(new IllegalStateException("Unable to process chunk", low));
        DiskFull full = DiskFull.in(failure, out).orElseThrow();
        assertThat(full.folder()).isEqualTo(ledger);
        assertThat(full.describe()).startsWith("no space left on device for " + ledger + " (")
                .contains("free there now, 3.0 MB needed to go on)").contains("free space on that disk")
                .contains("what committed is kept");
    }

    @Test
    void aWriteThatMetEnospcNamesTheOutput() {
        RuntimeException failure = new UncheckedIOException(new IOException("No space left on device"));
        assertThat(DiskFull.in(failure, out).orElseThrow().folder()).isEqualTo(out);
    }

    @Test
    void anyOtherFailureIsNotADiskFull() {
        assertThat(DiskFull.in(new IllegalStateException("boom", new IOException("Permission denied")), out)).isEmpty();
    }
}
