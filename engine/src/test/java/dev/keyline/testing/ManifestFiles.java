package dev.keyline.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Manifest files as a line's exports make them: gzip, cut-off gzip, and very long lines written without a big heap. */
public final class ManifestFiles {

    private ManifestFiles() {
    }

    public static byte[] gzip(byte[] plain) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(plain);
        }
        return bytes.toByteArray();
    }

    public static Path gzip(Path file, String text) throws IOException {
        return Files.write(file, gzip(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes {@code before}, then {@code filler} repeated to {@code length} characters on one line, then {@code after}. */
    public static Path withLongLine(Path file, String before, char filler, long length, String after) throws IOException {
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) filler);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(before.getBytes(StandardCharsets.UTF_8));
            for (long left = length; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
            out.write(after.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
