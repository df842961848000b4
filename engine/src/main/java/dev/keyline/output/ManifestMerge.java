package dev.keyline.output;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;

import dev.keyline.ledger.ManifestChunk;

/**
 * The rows of every recorded manifest row file of an output, in device id order: a k-way merge of the sorted files,
 * reading each one row at a time, so memory holds a buffer per open file whatever the device count.
 *
 * <p>Files whose device id ranges do not overlap are read one after the other as one sorted sequence (a lane): a
 * manifest in device id order, the usual case, gives one lane per partition. Only overlapping files (a manifest in
 * random order: every chunk spans the whole range) need lanes of their own; past {@link #FAN_IN} lanes, groups of
 * lanes are first merged into scratch files, so at most {@code FAN_IN} files are open at once.
 */
final class ManifestMerge implements Closeable {

    static final int FAN_IN = 64;

    private final Path scratch;
    private final PriorityQueue<Lane> heap = new PriorityQueue<>((a, b) -> a.head.compareTo(b.head));
    private final List<Lane> open = new ArrayList<>();
    private int scratchFiles;

    /**
     * @param chunks  the recorded row files, sorted by first device id
     * @param scratch a folder for the merge's intermediate files, made when needed and deleted by {@link #close()}
     */
    ManifestMerge(Path outputDirectory, List<ManifestChunk> chunks, Path scratch) throws IOException {
        this.scratch = scratch;
        List<Deque<Path>> lanes = lanes(outputDirectory, chunks);
        while (lanes.size() > FAN_IN) {
            List<Deque<Path>> merged = new ArrayList<>();
            for (int i = 0; i < lanes.size(); i += FAN_IN) {
                merged.add(new ArrayDeque<>(List.of(mergeToScratch(lanes.subList(i, Math.min(lanes.size(), i + FAN_IN))))));
            }
            lanes = merged;
        }
        for (Deque<Path> lane : lanes) {
            Lane l = new Lane(lane);
            open.add(l);
            if (l.advance()) {
                heap.add(l);
            }
        }
    }

    /**
     * Puts each file after the lane whose last device id is the largest below its first (interval partitioning: as
     * few lanes as the files' overlap allows).
     */
    private static List<Deque<Path>> lanes(Path out, List<ManifestChunk> chunks) {
        List<Deque<Path>> lanes = new ArrayList<>();
        List<String> lastIds = new ArrayList<>();
        PriorityQueue<Integer> byLast = new PriorityQueue<>((a, b) -> lastIds.get(a).compareTo(lastIds.get(b)));
        for (ManifestChunk c : chunks) {
            Integer lane = byLast.peek();
            if (lane != null && lastIds.get(lane).compareTo(c.firstDeviceId()) < 0) {
                byLast.poll();
            } else {
                lane = lanes.size();
                lanes.add(new ArrayDeque<>());
                lastIds.add(null);
            }
            lanes.get(lane).add(out.resolve(c.path()));
            lastIds.set(lane, c.lastDeviceId());
            byLast.add(lane);
        }
        return lanes;
    }

    private Path mergeToScratch(List<Deque<Path>> lanes) throws IOException {
        Files.createDirectories(scratch);
        Path file = scratch.resolve("merge-" + (++scratchFiles) + ManifestRowsFile.EXTENSION);
        try (ManifestMerge group = new ManifestMerge(lanes); ManifestRowsFile.Writer to = new ManifestRowsFile.Writer(file)) {
            for (ManifestRowsFile.Row row = group.next(); row != null; row = group.next()) {
                to.write(row);
            }
        }
        return file;
    }

    /** A merge of lanes that need no further grouping (at most {@link #FAN_IN}). */
    private ManifestMerge(List<Deque<Path>> lanes) throws IOException {
        this.scratch = null;
        for (Deque<Path> lane : lanes) {
            Lane l = new Lane(new ArrayDeque<>(lane));
            open.add(l);
            if (l.advance()) {
                heap.add(l);
            }
        }
    }

    /** @return the row with the next device id, or null when every file is read */
    ManifestRowsFile.Row next() throws IOException {
        Lane lane = heap.poll();
        if (lane == null) {
            return null;
        }
        ManifestRowsFile.Row row = lane.head;
        if (lane.advance()) {
            if (lane.head.compareTo(row) <= 0) {
                throw new ManifestRowsFile.DamagedRowsFileException(lane.file, "its device ids are not in order");
            }
            heap.add(lane);
        }
        return row;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Lane lane : open) {
            try {
                lane.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (scratch != null && Files.exists(scratch)) {
            ManifestRowsWriter.deleteFolder(scratch);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Files read one after the other. */
    private static final class Lane implements Closeable {
        private final Deque<Path> files;
        private Path file;
        private ManifestRowsFile.Reader reader;
        private ManifestRowsFile.Row head;

        Lane(Deque<Path> files) {
            this.files = files;
        }

        boolean advance() throws IOException {
            while (true) {
                if (reader == null) {
                    file = files.poll();
                    if (file == null) {
                        head = null;
                        return false;
                    }
                    reader = new ManifestRowsFile.Reader(file);
                }
                head = reader.next();
                if (head != null) {
                    return true;
                }
                reader.close();
                reader = null;
            }
        }

        @Override
        public void close() throws IOException {
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }
    }
}
