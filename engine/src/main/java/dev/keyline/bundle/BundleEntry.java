package dev.keyline.bundle;

import java.util.Arrays;
import java.util.Objects;

/**
 * One file of a device bundle, encoded and ready to be written by whichever layout.
 *
 * @param name   the file's name inside the bundle, e.g. {@code device.crt.pem}
 * @param bytes  its content; for a secret entry the caller wipes it with {@link #wipe()} once written
 * @param secret whether it holds key material (written 0600, wiped after writing)
 * @param sha256 lowercase hex SHA-256 of {@code bytes}, or null from an encoder asked for no per-file sums (the archive
 *               layout, whose SHA256SUMS lists each chunk's archive instead)
 */
public record BundleEntry(String name, byte[] bytes, boolean secret, String sha256) {

    public BundleEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bytes, "bytes");
    }

    /** Overwrites a secret entry's bytes with zeros; a public entry (perhaps shared, like the chain) is left alone. */
    public void wipe() {
        if (secret) {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Names the entry; never shows its bytes. */
    @Override
    public String toString() {
        return "BundleEntry[" + name + ", " + bytes.length + " bytes" + (secret ? ", secret" : "") + "]";
    }
}
