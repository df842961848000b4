package dev.keyline.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import dev.keyline.ledger.Identities;
import dev.keyline.ledger.LedgerEntry;
import dev.keyline.ledger.ManifestChunk;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * Writes a chunk's rows of the output manifest, from the identities the worker holds, as a file of its own:
 * {@code OUT/.keyline/manifest-rows/<first device id>.rows} ({@link ManifestRowsFile}), so that the export merges
 * these files instead of reading every identity back from the ledger on one thread after the issue step.
 *
 * <p><b>Exactly once</b>, as the archive layout's chunk archives: the file is written under a staging name and renamed
 * into place right before the chunk's transaction commits, which records it ({@code manifest_chunk}); the caller makes
 * it durable with the chunk's bundles. A file no row records belongs to a chunk that never committed:
 * {@link #removeUnrecorded} deletes it before a run or restart writes again, and the export only reads recorded ones.
 * A chunk issued again publishes under the same name (same devices).
 *
 * <p>Not thread-safe: one per worker thread. Works wherever the worker's output folder is (a remote worker writes into
 * the shared output, as it writes archives).
 */
public final class ManifestRowsWriter {

    /** Relative to the output folder. */
    public static final String FOLDER = ".keyline/manifest-rows";
    private static final String STAGING = ".staging";
    private static final SerializableString[] NAMES = java.util.Arrays.stream(ManifestRow.COLUMNS)
            .map(SerializedString::new).toArray(SerializableString[]::new);
    private static final byte[][] NAME_OCTETS = PlainCells.asciiIfPlain(ManifestRow.COLUMNS);

    private final Path folder;
    private final Path staging;
    private final StringBuilder csvText = new StringBuilder(512);
    private final CSVPrinter csv;
    private final JsonObjectText json = new JsonObjectText();
    private final String[] cells = new String[ManifestRow.COLUMNS.length];
    private final InstantTexts instants = new InstantTexts();

    public ManifestRowsWriter(Path outputDirectory) throws IOException {
        this.folder = outputDirectory.resolve(FOLDER);
        this.staging = folder.resolve(STAGING);
        Files.createDirectories(staging);
        this.csv = new CSVPrinter(csvText, OutputExporter.CSV);
    }

    /**
     * A chunk's rows, published (renamed into place); the caller makes the file durable before the chunk commits and
     * records {@link Published#chunk()} in its transaction.
     */
    public record Published(Path file, ManifestChunk chunk) {
    }

    /** @return empty when the chunk issued no identity */
    public Optional<Published> write(List<LedgerEntry> issued) throws IOException {
        if (issued.isEmpty()) {
            return Optional.empty();
        }
        List<LedgerEntry> sorted = new ArrayList<>(issued);
        sorted.sort(Comparator.comparing(LedgerEntry::deviceId));
        String first = sorted.get(0).deviceId();
        String last = sorted.get(sorted.size() - 1).deviceId();
        long firstRow = Long.MAX_VALUE;
        Path staged = Files.createTempFile(staging, "chunk-", ManifestRowsFile.EXTENSION);
        try {
            try (ManifestRowsFile.Writer out = new ManifestRowsFile.Writer(staged)) {
                for (LedgerEntry e : sorted) {
                    out.write(render(e));
                    firstRow = Math.min(firstRow, e.rowIndex());
                }
            }
            String name = first + ManifestRowsFile.EXTENSION;
            Path target = folder.resolve(name);
            long size = Files.size(staged);
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LedgerEntry any = sorted.get(0);
            return Optional.of(new Published(target, new ManifestChunk(FOLDER + "/" + name, first, last, sorted.size(), size,
                    any.jobInstanceId(), firstRow)));
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    private ManifestRowsFile.Row render(LedgerEntry e) throws IOException {
        ManifestRow.fill(cells, e, instants);
        byte[] csvBytes;
        byte[] jsonBytes;
        byte[][] plain = PlainCells.asciiIfPlain(cells);
        if (plain != null) {
            csvBytes = PlainCells.csv(plain);
            jsonBytes = PlainCells.jsonWithoutClose(NAME_OCTETS, plain);
        } else {
            csvText.setLength(0);
            csv.printRecord((Object[]) cells);
            csvBytes = csvText.substring(0, csvText.length() - 1).getBytes(StandardCharsets.UTF_8); // less the '\n'
            String object = json.of(NAMES, cells);
            jsonBytes = object.substring(0, object.length() - 1).getBytes(StandardCharsets.UTF_8); // less the '}'
        }
        byte[] sums = ManifestRow.isArchive(e.bundlePath()) ? new byte[0] : e.bundleSums().getBytes(StandardCharsets.UTF_8);
        byte[] summaryKey = Identities.registrationSummaryKey(e).map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
        return new ManifestRowsFile.Row(e.deviceId().getBytes(StandardCharsets.US_ASCII), csvBytes, jsonBytes, sums,
                summaryKey);
    }

    /**
     * Deletes every row file in {@code OUT/.keyline/manifest-rows/} the ledger does not record, and what staging left:
     * the work of chunks that never committed. Call before a run or restart writes, never while one does.
     *
     * @param recorded the recorded paths, relative to the output folder
     * @return how many published files were removed
     */
    public static int removeUnrecorded(Path outputDirectory, Set<String> recorded) throws IOException {
        Path folder = outputDirectory.resolve(FOLDER);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.endsWith(ManifestRowsFile.EXTENSION) && !recorded.contains(FOLDER + "/" + name)
                        && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(entry);
                    removed++;
                } else if (name.startsWith(".") && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    deleteFolder(entry); // staging, and a merge's scratch files
                }
            }
        }
        return removed;
    }

    static void deleteFolder(Path folder) throws IOException {
        try (var walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
