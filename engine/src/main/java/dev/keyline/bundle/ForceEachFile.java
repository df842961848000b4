package dev.keyline.bundle;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Portable durability: at each {@link #sync()}, {@code fsync} every file written since the last sync,
 * then every directory whose entries changed (opened read-only and forced), so that the renames that
 * published the files survive a crash too. One system call per file and per directory: correct
 * everywhere, but see {@link SyncFs} for why Linux gets one call per chunk instead.
 */
public final class ForceEachFile implements Durability {

    private final List<Path> files = new ArrayList<>();
    private final Set<Path> directories = new LinkedHashSet<>();

    @Override
    public void fileWritten(Path file) {
        files.add(file);
    }

    @Override
    public void directoryChanged(Path directory) {
        directories.add(directory);
    }

    /** Files and directories still waiting for the next sync. */
    public int pending() {
        return files.size() + directories.size();
    }

    @Override
    public void sync() throws IOException {
        for (Path file : files) {
            try {
                force(file);
            } catch (NoSuchFileException gone) {
                // Replaced or removed by a later write in the same chunk: the directory sync covers that.
            }
        }
        files.clear();
        for (Path directory : directories) {
            force(directory);
        }
        directories.clear();
    }

    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public String toString() {
        return "ForceEachFile[" + pending() + " pending]";
    }
}
