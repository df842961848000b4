package dev.keyline.device;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A manifest's bytes turned into text: gunzipped when they are gzip (by their magic bytes, whatever the name),
 * then decoded as UTF-8 or UTF-16 as the first bytes say.
 *
 * <p>UTF-16 is accepted rather than refused because its detection cannot be wrong here: either the file has a
 * byte order mark, or its first two bytes are one ASCII character and a zero (a manifest starts with a column
 * name or {@code {}), which no UTF-8 text has. Everything else is read as UTF-8; bytes that are not UTF-8
 * become U+FFFD and only the rows holding them are rejected.
 *
 * @param reader     the decoded text, without its byte order mark
 * @param charset    how the bytes were decoded, for reasons given to people
 * @param compressed whether the file is gzip
 */
record ManifestInput(Reader reader, Charset charset, boolean compressed) {

    private static final int BUFFER = 1 << 16;

    static ManifestInput open(Path manifest) {
        InputStream raw = null;
        try {
            raw = new BufferedInputStream(Files.newInputStream(manifest), BUFFER);
            byte[] magic = peek(raw, 2);
            boolean gzip = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
            InputStream bytes = gzip ? new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER) : raw;
            byte[] head = peek(bytes, 3);
            Charset charset = StandardCharsets.UTF_8;
            int bom = 0;
            if (starts(head, 0xef, 0xbb, 0xbf)) {
                bom = 3;
            } else if (starts(head, 0xff, 0xfe)) {
                charset = StandardCharsets.UTF_16LE;
                bom = 2;
            } else if (starts(head, 0xfe, 0xff)) {
                charset = StandardCharsets.UTF_16BE;
                bom = 2;
            } else if (head.length >= 2 && head[0] != 0 && head[1] == 0) {
                charset = StandardCharsets.UTF_16LE;
            } else if (head.length >= 2 && head[0] == 0 && head[1] != 0) {
                charset = StandardCharsets.UTF_16BE;
            }
            bytes.skipNBytes(bom);
            CharsetDecoder decoder = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            return new ManifestInput(new InputStreamReader(bytes, decoder), charset, gzip);
        } catch (NoSuchFileException e) {
            closeQuietly(raw);
            throw new ManifestException(manifest, "no such file");
        } catch (ZipException | EOFException e) {
            closeQuietly(raw);
            throw new ManifestException(manifest, "the file starts as gzip but is not readable gzip (" + e.getMessage()
                    + "): compress it again from the original, or give the uncompressed file", e);
        } catch (IOException e) {
            closeQuietly(raw);
            throw new ManifestException(manifest, "cannot read: " + e.getMessage(), e);
        }
    }

    /** The reason a row holding bytes that are not text in this encoding is rejected. */
    String undecodable() {
        return charset.equals(StandardCharsets.UTF_8) ? ManifestReader.NOT_UTF8
                : "the row is not valid " + charset.name() + ": save the manifest again as UTF-8 (or UTF-16 with a byte order mark)";
    }

    /**
     * Stops the whole run: the file cannot be read past a point. For gzip that is a damaged or cut-off file, which
     * the scan meets before any key is made.
     *
     * @param lastLine the last line that was read whole
     */
    ManifestException unreadable(Path manifest, long lastLine, IOException e) {
        if (compressed) {
            // Text is decoded ahead in blocks, so the break can lie some lines after the last one read whole.
            String where = lastLine == 0 ? "before its first line was read whole" : "after line " + lastLine;
            return new ManifestException(manifest, "the gzip data is damaged or cut off " + where + " ("
                    + e.getMessage() + "): nothing was issued; compress the manifest again from the original "
                    + "(gzip -t FILE checks it), or give the uncompressed file", e);
        }
        return new ManifestException(manifest, "cannot read after line " + lastLine + ": " + e.getMessage(), e);
    }

    private static byte[] peek(InputStream in, int n) throws IOException {
        in.mark(n);
        byte[] head = in.readNBytes(n);
        in.reset();
        return head;
    }

    private static boolean starts(byte[] head, int... prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((head[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // already failing with the reason that matters
            }
        }
    }
}
