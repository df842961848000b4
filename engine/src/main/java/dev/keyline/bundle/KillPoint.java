package dev.keyline.bundle;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test seam for crash tests, off unless the JVM is started with {@code -Dkeyline.test.kill-point=POINT=MARKER_FILE}:
 * the first thread to reach the named point creates the marker file, and every thread that reaches it waits there
 * for ever, so a test that sees the marker can kill the process inside a window too narrow to hit from outside (an
 * archive published into {@code bundles/} whose chunk has not committed). Unset, a point is one comparison of a
 * constant with null. See docs/pipeline.md.
 */
public final class KillPoint {

    public static final String PROPERTY = "keyline.test.kill-point";
    /** The scan's result is in the job's context; the scan step has not committed. */
    public static final String SCAN_DONE = "scan-done";
    /** A chunk's archive is renamed into {@code bundles/} and synced; the chunk's transaction has not committed. */
    public static final String ARCHIVE_PUBLISHED = "archive-published";
    /** The output manifest and SHA256SUMS are written; the export step has not committed. */
    public static final String EXPORT_WRITTEN = "export-written";

    private static final String POINT;
    private static final Path MARKER;

    static {
        // Read once: a seam that changed while the process runs would be a second, untested behaviour.
        String setting = System.getProperty(PROPERTY);
        int eq = setting == null ? -1 : setting.indexOf('=');
        POINT = eq > 0 ? setting.substring(0, eq) : null;
        MARKER = eq > 0 ? Path.of(setting.substring(eq + 1)) : null;
    }

    private KillPoint() {
    }

    /** Returns at once unless this process was told to wait at {@code point}. */
    public static void reach(String point) {
        if (POINT == null || !POINT.equals(point)) {
            return;
        }
        try {
            Files.createFile(MARKER);
        } catch (FileAlreadyExistsException another) {
            // another thread reached the point first; wait with it
        } catch (IOException e) {
            throw new IllegalStateException("the kill point " + point + " could not create its marker " + MARKER, e);
        }
        Object never = new Object();
        synchronized (never) {
            while (true) {
                try {
                    never.wait();
                } catch (InterruptedException ignored) {
                    // only the kill the test sends ends this wait
                }
            }
        }
    }
}
