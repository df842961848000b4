package dev.keyline.bundle;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Set;

/** What every bundle layout needs of the file system: private folders, POSIX permissions, tree removal. */
final class BundleFolders {

    static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    static final FileAttribute<Set<PosixFilePermission>> PUBLIC_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));

    private BundleFolders() {
    }

    static void requirePosix(Path directory) throws IOException {
        FileStore store = Files.getFileStore(directory);
        if (!store.supportsFileAttributeView(PosixFileAttributeView.class)) {
            throw new BundleWriteException(null, "the output folder " + directory + " is on a file system without POSIX"
                    + " permissions (" + store.type() + "): key files must be created readable by their owner only,"
                    + " so bundles cannot be written there; choose an output folder on a POSIX file system");
        }
    }

    static boolean createDirectoryIfAbsent(Path directory) throws IOException {
        try {
            Files.createDirectory(directory, PRIVATE_DIRECTORY);
            return true;
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                throw new BundleWriteException(null, directory + " exists and is not a folder");
            }
            return false;
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static SecureRandom newRandom() {
        try {
            // A DRBG of our own: the default NativePRNG serialises every thread of the JVM on one lock.
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
