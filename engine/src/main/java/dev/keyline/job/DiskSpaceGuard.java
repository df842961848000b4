package dev.keyline.job;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.infrastructure.item.Chunk;

import dev.keyline.bundle.BundleLayout;
import dev.keyline.device.ManifestRecord;

/**
 * Fails a chunk of the issue step before it writes anything when a disk it writes to (the output's, for the bundles;
 * the embedded H2 ledger's) has less room than every thread's chunk in flight and the end of the run need. The step
 * then fails as for any other error: the chunk rolls back, the steps and the execution record their end, and a
 * restart resumes from the last committed chunk once there is room.
 *
 * <p>Why before the disk is full: the bundles cope with ENOSPC (the chunk rolls back), but H2 2.4.240 does not
 * always. After a failed write of its file it closes its store, and a thread that starts a statement afterwards can
 * spin for ever ({@code MVStore.registerVersionUsage}), so the run never ends. Stopping while there is room keeps H2
 * from ever writing into a full disk when Keyline alone fills it; {@link LedgerWatchdog} covers another process that
 * fills the disk between two checks.
 *
 * <p>Each thread checks before each of its chunks, so when one passes, the disk holds its own chunk and the chunks
 * the other threads may still be writing, and the margin for the closing writes stays. One {@code statvfs(2)} per disk
 * and chunk: microseconds, against a chunk's milliseconds of signing and syncing.
 */
final class DiskSpaceGuard implements ChunkListener<ManifestRecord, IssueOutcome> {

    /**
     * Room for what a run writes after it stops: each partition's, the issue step's and the execution's final
     * updates in the job repository (each an H2 commit that appends pages, up to 32 KB), the failure's stack traces in
     * the log, and H2's own last write as it closes. Measured on the full-disk test: far less than this.
     */
    static final long CLOSING_BYTES = 2 * 1024 * 1024;

    /** One disk to check, with the room it must keep. */
    record Reserve(Path folder, FileStore store, long bytes) {
    }

    private final List<Reserve> reserves;

    DiskSpaceGuard(List<Reserve> reserves) {
        this.reserves = List.copyOf(reserves);
    }

    /**
     * @param out          the output folder: the bundles are written under it
     * @param ledgerFolder where the embedded H2 ledger's file is, or empty for a ledger on another server
     */
    static DiskSpaceGuard of(Path out, Optional<Path> ledgerFolder, BundleLayout layout, boolean pkcs12, int chunkSize,
                             int threads) {
        SpaceEstimate chunk = new SpaceEstimate(chunkSize, layout, pkcs12, ledgerFolder.isPresent(), chunkSize);
        List<Reserve> reserves = new ArrayList<>();
        add(reserves, out, threads * chunk.bundleBytes());
        if (ledgerFolder.isPresent()) {
            add(reserves, ledgerFolder.get(), threads * chunk.ledgerBytes());
        }
        return new DiskSpaceGuard(reserves);
    }

    /**
     * A second folder on a disk already checked adds its need to that disk's reserve. A folder whose file system
     * cannot be found is not checked: the run goes on, as it did before there was a check.
     */
    private static void add(List<Reserve> reserves, Path folder, long bytes) {
        FileStore store;
        try {
            store = Files.getFileStore(nearestExisting(folder));
        } catch (IOException | SecurityException unknown) {
            return;
        }
        for (int i = 0; i < reserves.size(); i++) {
            Reserve r = reserves.get(i);
            if (r.store().equals(store)) {
                reserves.set(i, new Reserve(r.folder(), store, r.bytes() + bytes));
                return;
            }
        }
        reserves.add(new Reserve(folder, store, bytes + CLOSING_BYTES));
    }

    /** The folder, or its closest parent that exists: the bundles' folder is made by the step's first writer. */
    private static Path nearestExisting(Path folder) {
        Path p = folder.toAbsolutePath().normalize();
        while (p.getParent() != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }

    List<Reserve> reserves() {
        return reserves;
    }

    @Override
    public void beforeChunk(Chunk<ManifestRecord> chunk) {
        check();
    }

    /** @throws DiskSpaceLowException a disk has less usable room than its reserve */
    void check() {
        for (Reserve r : reserves) {
            long usable;
            try {
                usable = r.store().getUsableSpace();
            } catch (IOException unknown) {
                continue; // a file system that cannot tell its free space: the run goes on, as without the check
            }
            if (usable < r.bytes()) {
                throw new DiskSpaceLowException(r.folder(), usable, r.bytes());
            }
        }
    }
}
