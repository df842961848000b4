package dev.keyline.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.ManifestFiles;
import dev.keyline.testing.ManifestRowCount;

/**
 * The product runs in a 256 MB heap. A 200 MB line (a binary file renamed, a quote left open over a huge export)
 * is read in a JVM of 64 MB: without a bound while streaming, the reader would need gigabytes and fail.
 */
class RowLengthBoundTest {

    private static final long LINE = 200L << 20;

    @TempDir
    Path dir;

    @Test
    void aTwoHundredMegabyteCsvLineIsOneRejectInA64MegabyteHeap() throws Exception {
        Path quoted = ManifestFiles.withLongLine(dir.resolve("m.csv"), "device_id,organization\ndev-1,Acme\ndev-2,\"",
                'x', LINE, "\"\ndev-3,Acme\n");
        assertThat(readInSmallHeap(quoted)).startsWith("rows=3 last=dev-3 defects: line 3: the row is longer than");
        Files.delete(quoted);

        Path commas = ManifestFiles.withLongLine(dir.resolve("n.csv"), "device_id,organization\ndev-1,Acme\ndev-2,",
                ',', LINE, "\ndev-3,Acme\n");
        assertThat(readInSmallHeap(commas)).startsWith("rows=3 last=dev-3 defects: line 3: the row is longer than");
        Files.delete(commas);

        Path neverClosed = ManifestFiles.withLongLine(dir.resolve("o.csv"), "device_id,organization\ndev-1,Acme\ndev-2,\"",
                'x', LINE, "\ndev-3,Acme\n");
        assertThat(readInSmallHeap(neverClosed))
                .startsWith("rows=2 last=dev-1 defects: line 3: a quoted value opened on line 3 is never closed; lines 3-4");
    }

    @Test
    void aTwoHundredMegabyteJsonLineIsOneRejectInA64MegabyteHeap() throws Exception {
        Path jsonl = ManifestFiles.withLongLine(dir.resolve("m.jsonl"), "{\"device_id\":\"dev-1\"}\n{\"device_id\":\"",
                'x', LINE, "\"}\n{\"device_id\":\"dev-3\"}\n");

        assertThat(readInSmallHeap(jsonl)).startsWith("rows=3 last=dev-3 defects: line 2: the line is 209,715,216 characters");
    }

    private static String readInSmallHeap(Path manifest) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                ManifestRowCount.class.getName(), manifest.toString())).redirectErrorStream(true).start();
        child.getOutputStream().close();
        byte[] output = child.getInputStream().readAllBytes();
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("the child reader ends").isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(text).isZero();
        return text;
    }
}
