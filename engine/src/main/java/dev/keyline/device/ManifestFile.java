package dev.keyline.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** What a manifest path must be before anything reads it: an existing, non-empty, readable regular file. */
public final class ManifestFile {

    private ManifestFile() {
    }

    /**
     * @throws ManifestException naming what the path is instead and what to give
     */
    public static void require(Path manifest) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(manifest, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new ManifestException(manifest, "no such file: give the path of the manifest");
        } catch (IOException e) {
            throw new ManifestException(manifest, "cannot be read (" + e.getMessage() + "): check the path and its permissions", e);
        }
        if (attributes.isDirectory()) {
            throw new ManifestException(manifest, "is a folder, not a manifest: give the manifest file (.csv, .jsonl, "
                    + "or either .gz)");
        }
        if (!attributes.isRegularFile()) {
            // The scan reads the manifest before anything is issued, the issue step reads it again, and a restart
            // a third time; a pipe gives its bytes only once.
            throw new ManifestException(manifest, "is not a regular file (a named pipe or a device?): Keyline reads the "
                    + "manifest more than once (to count and check its rows before any key is made, then to issue, "
                    + "and again on restart), which a pipe cannot give; save it to a file first, e.g. "
                    + "`cat SOURCE > devices.csv`");
        }
        if (attributes.size() == 0) {
            throw new ManifestException(manifest, "is empty (0 bytes): export the manifest again; CSV needs a header "
                    + "line naming the columns, JSON Lines one object per device");
        }
        if (!Files.isReadable(manifest)) {
            throw new ManifestException(manifest, "cannot be read: permission denied; make it readable for this user");
        }
    }
}
