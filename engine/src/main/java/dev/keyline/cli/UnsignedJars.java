package dev.keyline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the signed jars of the launcher's extracted copy of the application without their signature files
 * (docs/startup.md). Bouncy Castle's and ACCP's jars are signed, and a signed jar costs every command: the JVM checks
 * the signature (an RSA verification) when it first opens the jar and hashes every class it loads from it (13% of a
 * 1,000-device run's CPU samples), and class-data sharing leaves classes of signed jars out of its archive. OpenJDK
 * does not require a provider's jar to be signed, and nothing in Keyline reads the signatures; the jars' integrity
 * was checked when Maven fetched them, and the fat jar the launcher extracted is unchanged.
 *
 * <p>Each jar is written beside itself and renamed over it, so a jar is whole or untouched; entries keep their
 * order, names, times and bytes, and the manifest stays (its per-entry digests are inert without a signature file).
 */
public final class UnsignedJars {

    private static final List<String> SIGNATURE_SUFFIXES = List.of(".SF", ".RSA", ".DSA", ".EC");

    private UnsignedJars() {
    }

    /** {@code UnsignedJars JAR...}: rewrites each signed one; exits 1 if one could not be. */
    public static void main(String[] args) {
        int failed = 0;
        for (String jar : args) {
            try {
                strip(Path.of(jar));
            } catch (IOException | UncheckedIOException e) {
                failed++;
                System.err.println("keyline: could not rewrite " + jar + " without its signature: " + e.getMessage());
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Rewrites {@code jar} without its signature files; returns whether it had any. */
    static boolean strip(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.stream().noneMatch(e -> isSignature(e.getName()))) {
                return false;
            }
            Path staged = Files.createTempFile(jar.getParent(), "." + jar.getFileName(), ".tmp");
            try {
                try (OutputStream file = Files.newOutputStream(staged); ZipOutputStream out = new ZipOutputStream(file)) {
                    Enumeration<? extends ZipEntry> entries = zip.entries();
                    while (entries.hasMoreElements()) {
                        ZipEntry entry = entries.nextElement();
                        if (isSignature(entry.getName())) {
                            continue;
                        }
                        ZipEntry copy = new ZipEntry(entry.getName());
                        copy.setTime(entry.getTime());
                        out.putNextEntry(copy);
                        try (InputStream in = zip.getInputStream(entry)) {
                            in.transferTo(out);
                        }
                        out.closeEntry();
                    }
                }
                Files.move(staged, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(staged);
            }
            return true;
        }
    }

    /** A signature file: META-INF/NAME.SF and its signature block (JAR File Specification, "Signed JAR File"). */
    static boolean isSignature(String name) {
        if (!name.startsWith("META-INF/") || name.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        return SIGNATURE_SUFFIXES.stream().anyMatch(upper::endsWith) || upper.startsWith("META-INF/SIG-");
    }
}
