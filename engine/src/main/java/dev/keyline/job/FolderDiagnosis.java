package dev.keyline.job;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Why a folder could not be created or written, in words a person can act on. The JDK's exceptions often say only the
 * path ({@code FileAlreadyExistsException: /x}, {@code NoSuchFileException: /proc/x}), so the path is examined again:
 * the nearest part of it that exists, whether that is a folder, on which file system, and whether it may be written.
 */
final class FolderDiagnosis {

    /** Kernel interfaces that look like folders but hold no files. */
    private static final Set<String> PSEUDO_FILE_SYSTEMS = Set.of("proc", "sysfs", "cgroup", "cgroup2", "devpts",
            "debugfs", "tracefs", "securityfs", "configfs", "bpf", "pstore", "mqueue", "hugetlbfs", "fusectl");

    private FolderDiagnosis() {
    }

    /**
     * @param folder  the folder that was to be created and written
     * @param failure what the file system answered
     * @return the reason and the fix, e.g. "/x is a file, not a folder: name a folder ..."
     */
    static String explain(Path folder, IOException failure) {
        Path existing = nearestExisting(folder);
        String fix = "choose another --out (a folder on a writable disk, e.g. --out ./run-1)";
        if (existing != null && !Files.isDirectory(existing)) {
            return existing + " is a file, not a folder: " + fix + ", or move the file away";
        }
        if (existing != null) {
            try {
                FileStore store = Files.getFileStore(existing);
                String type = store.type().toLowerCase(Locale.ROOT);
                if (PSEUDO_FILE_SYSTEMS.contains(type)) {
                    return existing + " is on " + type + ", a kernel file system that holds no files of ours: " + fix;
                }
                if (store.isReadOnly()) {
                    return existing + " is on a read-only file system (" + store + "): " + fix;
                }
            } catch (IOException e) {
                // the file store is unknown; the answer of the file system below still says something
            }
            if (!Files.isWritable(existing) || failure instanceof AccessDeniedException) {
                return "permission denied: user " + System.getProperty("user.name") + " may not write in " + existing
                        + ": " + fix + ", or give that user write permission there";
            }
        }
        return reasonOf(failure) + ": " + fix;
    }

    private static Path nearestExisting(Path folder) {
        for (Path p = folder.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return p;
            }
        }
        return null;
    }

    private static String reasonOf(IOException failure) {
        if (failure instanceof FileSystemException fs) {
            if (fs.getReason() != null) {
                return fs.getFile() + ": " + fs.getReason().toLowerCase(Locale.ROOT);
            }
            if (fs instanceof NoSuchFileException) {
                return fs.getFile() + ": no such file or directory";
            }
            return fs.getFile() + ": " + fs.getClass().getSimpleName();
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
}
