package dev.keyline.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a folder, to fill a disk for real (ENOSPC). Needs root ({@code mount}); in the full suite
 * that is given, so a refused mount fails the test instead of skipping it.
 */
public final class Tmpfs implements AutoCloseable {

    private final Path mountPoint;
    private boolean mounted;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code megabytes} on {@code mountPoint} (created if missing). */
    public static Tmpfs mount(Path mountPoint, int megabytes) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        Tmpfs tmpfs = new Tmpfs(mountPoint.toAbsolutePath());
        tmpfs.run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", tmpfs.mountPoint.toString());
        tmpfs.mounted = true;
        return tmpfs;
    }

    /** Makes it larger (or smaller), keeping what it holds. */
    public void resize(int megabytes) throws IOException, InterruptedException {
        run("mount", "-o", "remount,size=" + megabytes + "m", mountPoint.toString());
    }

    public long usableBytes() throws IOException {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within 30 s");
        }
        String printed = new String(process.getInputStream().readAllBytes());
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue()
                    + "; the disk tests need root): " + printed);
        }
    }

    /** Unmounts it (lazily, so a file a failed test left open cannot keep it mounted). */
    @Override
    public void close() throws IOException, InterruptedException {
        if (mounted) {
            mounted = false;
            run("umount", "-l", mountPoint.toString());
        }
    }
}
