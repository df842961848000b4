package dev.keyline.device;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import dev.keyline.digest.Sha256;

/**
 * One streaming pass over a manifest before anything is issued: how many rows it has (for partitions and
 * progress), its SHA-256 (so a restart can refuse a manifest that changed under it), and which rows repeat
 * an earlier row's device_id (those are rejected; the first occurrence wins).
 *
 * <p>Duplicates are found with 8 bytes a row (a sorted array of 64-bit hashes), not a set of the ids, so a
 * million-device manifest costs 8 MB; only rows whose hash collides are compared by their real id in a
 * second pass, which is normally skipped.
 *
 * @param rows       number of device rows
 * @param sha256     lowercase hex SHA-256 of the file's bytes
 * @param duplicates row index of each repeated device_id to the line of its first occurrence
 */
public record ManifestScan(long rows, String sha256, Map<Long, Long> duplicates) {

    public ManifestScan {
        duplicates = Map.copyOf(duplicates);
    }

    public static ManifestScan of(Path manifest, ManifestFormat format) {
        String sha256 = sha256(manifest);
        IdHashes hashes = new IdHashes();
        long rows;
        try (ManifestReader reader = ManifestReader.open(manifest, format)) {
            reader.forEachRawDeviceId(hashes::add);
            rows = reader.position();
        }
        Set<Long> suspects = hashes.repeated();
        Map<Long, Long> duplicates = suspects.isEmpty() ? Map.of() : confirm(manifest, format, suspects);
        return new ManifestScan(rows, sha256, duplicates);
    }

    /** The 64-bit hashes of the device ids read, in a growing array: 8 bytes a row, not a set of strings. */
    private static final class IdHashes {
        private long[] hashes = new long[1024];
        private int count;

        void add(String id) {
            if (id == null) {
                return;
            }
            if (count == hashes.length) {
                hashes = Arrays.copyOf(hashes, hashes.length * 2);
            }
            hashes[count++] = hash64(id);
        }

        /**
         * The hashes seen more than once: their rows are read again to tell a repeated id from a collision. An open
         * addressing table at most half full, not a sort: on a million rows the sort was a quarter of the scan
         * (JFR), run before the JIT had compiled it.
         */
        Set<Long> repeated() {
            int slots = Integer.highestOneBit(Math.max(2, count) * 2 - 1) << 1;
            long[] table = new long[slots];
            int mask = slots - 1;
            boolean zeroSeen = false;
            Set<Long> repeated = new HashSet<>();
            for (int i = 0; i < count; i++) {
                long h = hashes[i];
                if (h == 0) { // 0 marks an empty slot
                    if (zeroSeen) {
                        repeated.add(0L);
                    }
                    zeroSeen = true;
                    continue;
                }
                // The hashes are already spread (SplitMix64's finaliser): their low bits index the table.
                for (int slot = (int) h & mask; ; slot = (slot + 1) & mask) {
                    if (table[slot] == 0) {
                        table[slot] = h;
                        break;
                    }
                    if (table[slot] == h) {
                        repeated.add(h);
                        break;
                    }
                }
            }
            return repeated;
        }
    }

    /** The first line on which this row's device_id appeared, when the row repeats it. */
    public Long firstLineOfDuplicate(long index) {
        return duplicates.get(index);
    }

    private static Map<Long, Long> confirm(Path manifest, ManifestFormat format, Set<Long> suspects) {
        Map<String, Long> firstLine = new HashMap<>();
        Map<Long, Long> duplicates = new HashMap<>();
        try (ManifestReader reader = ManifestReader.open(manifest, format)) {
            for (ManifestRecord record = reader.next(); record != null; record = reader.next()) {
                String id = record.rawDeviceId();
                if (id == null || !suspects.contains(hash64(id))) {
                    continue;
                }
                Long first = firstLine.putIfAbsent(id, record.line());
                if (first != null) {
                    duplicates.put(record.index(), first);
                }
            }
        }
        return duplicates;
    }

    /** FNV-1a over the UTF-16 units, then the SplitMix64 finaliser to spread the bits. */
    static long hash64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /**
     * About how many rows the manifest has, for estimates ({@code run}'s disk-space warning): its line ends, less a
     * CSV's header, read through gzip when it is compressed. A CSV row with a quoted line break counts twice, a blank
     * line once. Several times cheaper than {@link #of}, which decodes, parses and hashes every row.
     */
    public static long estimateRows(Path manifest, ManifestFormat format) {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(manifest), 1 << 16)) {
            file.mark(2);
            boolean gzip = file.read() == 0x1f && file.read() == 0x8b;
            file.reset();
            try (InputStream in = gzip ? new GZIPInputStream(file, 1 << 16) : file) {
                byte[] buffer = new byte[1 << 16];
                long lines = 0;
                int last = '\n';
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                    if (n > 0) {
                        last = buffer[n - 1];
                    }
                }
                if (last != '\n') {
                    lines++; // a last line without its line end
                }
                return Math.max(0, format == ManifestFormat.CSV ? lines - 1 : lines);
            }
        } catch (IOException e) {
            throw new ManifestException(manifest, "cannot read: " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the file's bytes, from ACCP when the run has loaded it (a night's manifest is tens of MB). */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = Sha256.newDigest();
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new ManifestException(file, "cannot read: " + e.getMessage(), e);
        }
    }
}
