package dev.keyline.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TarWriter} writes the bytes commons-compress's {@code TarArchiveOutputStream} writes (the archive layout's
 * format before it), for the entries a chunk archive holds and for the ones its plain header cannot (long or
 * non-ASCII names and link names, times past 11 octal digits), and GNU tar reads what it writes.
 */
class TarWriterEquivalenceTest {

    private static final long NOW = 1_796_585_152L;

    private record Entry(byte type, String name, String link, int mode, long seconds, byte[] content) {
    }

    @Test
    void aChunkOfDevicesIsTheSameBytes() throws IOException {
        List<Entry> entries = new ArrayList<>();
        Random random = new Random(7);
        String firstChain = null;
        for (int d = 0; d < 50; d++) {
            String device = "device-" + String.format("%07d", d);
            entries.add(new Entry(TarConstants.LF_DIR, device + "/", null, 040700, NOW, null));
            entries.add(new Entry(TarConstants.LF_NORMAL, device + "/device.crt.pem", null, 0100644, NOW, bytes(random, 700 + random.nextInt(100))));
            entries.add(new Entry(TarConstants.LF_NORMAL, device + "/device.key.pem", null, 0100600, NOW, bytes(random, 241)));
            if (firstChain == null) {
                firstChain = device + "/chain.pem";
                entries.add(new Entry(TarConstants.LF_NORMAL, firstChain, null, 0100644, NOW, bytes(random, 1536)));
            } else {
                entries.add(new Entry(TarConstants.LF_LINK, device + "/chain.pem", firstChain, 0100644, NOW, null));
            }
        }
        assertSameBytes(entries);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomEntriesAreTheSameBytes(long seed) throws IOException {
        Random random = new Random(seed);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte type = switch (random.nextInt(3)) {
                case 0 -> TarConstants.LF_DIR;
                case 1 -> TarConstants.LF_LINK;
                default -> TarConstants.LF_NORMAL;
            };
            String name = name(random) + (type == TarConstants.LF_DIR ? "/" : "");
            String link = type == TarConstants.LF_LINK ? name(random) : null;
            int mode = switch (random.nextInt(4)) {
                case 0 -> 040700;
                case 1 -> 0100600;
                case 2 -> 0100644;
                default -> random.nextInt(07777777 + 1);
            };
            long seconds = switch (random.nextInt(6)) {
                case 0 -> 0;
                case 1 -> 077777777777L;           // the largest an 11-digit field holds
                case 2 -> 077777777777L + 1;       // a PAX "mtime" from here on
                case 3 -> (1L << 40) + random.nextInt(1000);
                default -> NOW + random.nextInt(100_000);
            };
            byte[] content = type == TarConstants.LF_NORMAL ? bytes(random, sizeOf(random)) : null;
            entries.add(new Entry(type, name, link, mode, seconds, content));
        }
        assertSameBytes(entries);
    }

    @Test
    void gnuTarListsAndExtractsWhatItWrites(@TempDir Path dir) throws Exception {
        TarWriter writer = new TarWriter();
        String longDevice = "d".repeat(128);
        writer.folder("device-1/", 040700, NOW);
        writer.file("device-1/chain.pem", 0100644, NOW, "chain\n".getBytes(StandardCharsets.US_ASCII));
        writer.folder(longDevice + "/", 040700, NOW);
        writer.file(longDevice + "/device.key.pem", 0100600, NOW, "key\n".getBytes(StandardCharsets.US_ASCII));
        writer.link(longDevice + "/chain.pem", "device-1/chain.pem", 0100644, NOW);
        writer.finish();
        Path archive = dir.resolve("a.tar");
        try (var out = Files.newOutputStream(archive)) {
            writer.flushTo(out);
        }
        Path into = Files.createDirectory(dir.resolve("x"));
        Process tar = new ProcessBuilder("tar", "-xpf", archive.toString(), "-C", into.toString())
                .redirectErrorStream(true).start();
        String said = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(said).isZero();
        assertThat(Files.readString(into.resolve(longDevice + "/device.key.pem"))).isEqualTo("key\n");
        assertThat(Files.readString(into.resolve(longDevice + "/chain.pem"))).isEqualTo("chain\n");
        assertThat(Files.isSameFile(into.resolve(longDevice + "/chain.pem"), into.resolve("device-1/chain.pem"))).isTrue();
        assertThat(Files.getPosixFilePermissions(into.resolve(longDevice + "/device.key.pem")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getLastModifiedTime(into.resolve("device-1/chain.pem")).to(TimeUnit.SECONDS)).isEqualTo(NOW);
    }

    private static void assertSameBytes(List<Entry> entries) throws IOException {
        byte[] expected = commonsCompress(entries);
        byte[] actual = tarWriter(entries);
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            if (actual[i] != expected[i]) {
                int record = i / TarWriter.RECORD;
                throw new AssertionError("first difference at byte " + i + " (record " + record + ", offset "
                        + i % TarWriter.RECORD + "): expected " + expected[i] + ", was " + actual[i] + "; entries "
                        + entries.stream().map(e -> e.name() + " (" + (char) e.type() + ", " + e.seconds() + ")").toList());
            }
        }
        // and commons-compress reads it back as those entries
        try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(actual))) {
            for (Entry e : entries) {
                TarArchiveEntry read = in.getNextEntry();
                assertThat(read.getName()).isEqualTo(e.name().replaceFirst("^/+", "")); // it strips a leading slash
                assertThat(read.getMode()).isEqualTo(e.mode());
                assertThat(read.getLastModifiedTime().to(TimeUnit.SECONDS)).isEqualTo(e.seconds());
                if (e.link() != null) {
                    assertThat(read.getLinkName()).isEqualTo(e.link());
                }
                if (e.content() != null) {
                    assertThat(in.readAllBytes()).isEqualTo(e.content());
                }
            }
            assertThat(in.getNextEntry()).isNull();
        }
    }

    private static byte[] commonsCompress(List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry entry = e.type() == TarConstants.LF_NORMAL ? new TarArchiveEntry(e.name())
                        : e.type() == TarConstants.LF_DIR ? new TarArchiveEntry(e.name())
                        : new TarArchiveEntry(e.name(), e.type());
                if (e.link() != null) {
                    entry.setLinkName(e.link());
                }
                entry.setMode(e.mode());
                entry.setModTime(e.seconds() * 1000);
                if (e.content() != null) {
                    entry.setSize(e.content().length);
                }
                tar.putArchiveEntry(entry);
                if (e.content() != null) {
                    tar.write(e.content());
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] tarWriter(List<Entry> entries) throws IOException {
        TarWriter writer = new TarWriter();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int n = 0;
        for (Entry e : entries) {
            if (e.type() == TarConstants.LF_DIR) {
                writer.folder(e.name(), e.mode(), e.seconds());
            } else if (e.type() == TarConstants.LF_LINK) {
                writer.link(e.name(), e.link(), e.mode(), e.seconds());
            } else {
                writer.file(e.name(), e.mode(), e.seconds(), e.content());
            }
            if (++n % 4 == 0) {
                writer.flushTo(bytes); // as the archive writes a device at a time
            }
        }
        writer.finish();
        writer.flushTo(bytes);
        return bytes.toByteArray();
    }

    /** Lengths around the 100-byte name field, some with non-ASCII characters, a leading slash or a backslash. */
    private static String name(Random random) {
        int length = switch (random.nextInt(5)) {
            case 0 -> 98 + random.nextInt(4);
            case 1 -> 100 + random.nextInt(200);
            default -> 1 + random.nextInt(60);
        };
        StringBuilder name = new StringBuilder(length);
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_.:/";
        for (int i = 0; i < length; i++) {
            name.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        if (random.nextInt(10) == 0) {
            name.setCharAt(random.nextInt(length), 'é');
        }
        if (random.nextInt(20) == 0) {
            name.setCharAt(0, '/');
        }
        if (random.nextInt(20) == 0) {
            name.setCharAt(random.nextInt(length), '\\');
        }
        while (name.length() > 1 && name.charAt(name.length() - 1) == '/') {
            name.setLength(name.length() - 1);
        }
        return name.toString();
    }

    private static int sizeOf(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 512 * (1 + random.nextInt(4));
            default -> random.nextInt(3000);
        };
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
