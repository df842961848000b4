package dev.keyline.bundle;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Durability by {@code syncfs(2)}: one system call per chunk writes back every dirty page and inode of
 * the file system holding the output, file contents and directory entries (renames, removals) alike.
 * A chunk of 1,000 devices is some 4,000 files: {@link ForceEachFile} makes about 5,000 fsync calls for
 * it, each waiting for the disk; syncfs makes one. It also flushes whatever else is dirty on that file
 * system, which on a busy shared disk can cost more; choose {@link DurabilityMode#FORCE_EACH_FILE} there.
 *
 * <p>Linux only, called through JNA; holds one read-only descriptor of the output directory from
 * {@link #open} to {@link #close}. Since Linux 5.8 syncfs reports write-back errors, which surface here
 * as an {@link IOException}.
 */
public final class SyncFs implements Durability {

    private static final int O_RDONLY = 0;

    /** libc, as JNA binds it; {@code LastErrorException} carries errno. */
    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int syncfs(int fd) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC;
        static final String UNAVAILABLE;

        static {
            LibC libc = null;
            String why = null;
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                why = "syncfs(2) is Linux only; this is " + System.getProperty("os.name");
            } else {
                try {
                    NativeLibrary.getInstance("c").getFunction("syncfs");
                    libc = Native.load("c", LibC.class);
                } catch (LinkageError | RuntimeException e) {
                    why = "libc syncfs(2) could not be bound through JNA: " + e;
                }
            }
            LIBC = libc;
            UNAVAILABLE = why;
        }
    }

    private final Path directory;
    private int fd;

    private SyncFs(Path directory, int fd) {
        this.directory = directory;
        this.fd = fd;
    }

    /** Whether this JVM can call {@code syncfs(2)}: Linux, and JNA binds libc. */
    public static boolean isAvailable() {
        return Holder.LIBC != null;
    }

    /**
     * @param directory any directory on the file system to flush (the writer passes {@code OUT/bundles})
     * @throws BundleWriteException when syncfs is not available here (the message says why)
     */
    public static SyncFs open(Path directory) throws IOException {
        if (!isAvailable()) {
            throw new BundleWriteException(null, Holder.UNAVAILABLE + "; use durability " + DurabilityMode.FORCE_EACH_FILE);
        }
        try {
            return new SyncFs(directory, Holder.LIBC.open(directory.toString(), O_RDONLY));
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + directory + " for syncfs: errno " + e.getErrorCode(), e);
        }
    }

    /** Nothing to record: syncfs covers the whole file system. */
    @Override
    public void fileWritten(Path file) {
    }

    @Override
    public void directoryChanged(Path directory) {
    }

    @Override
    public void sync() throws IOException {
        if (fd < 0) {
            throw new IllegalStateException("syncfs on " + directory + " is closed");
        }
        try {
            Holder.LIBC.syncfs(fd);
        } catch (LastErrorException e) {
            throw new IOException("syncfs of the file system holding " + directory + " failed: errno " + e.getErrorCode()
                    + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() throws IOException {
        if (fd < 0) {
            return;
        }
        int closing = fd;
        fd = -1;
        try {
            Holder.LIBC.close(closing);
        } catch (LastErrorException e) {
            throw new IOException("close of " + directory + " failed: errno " + e.getErrorCode(), e);
        }
    }

    @Override
    public String toString() {
        return "SyncFs[" + directory + "]";
    }
}
