package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UnsignedJars} on Bouncy Castle's real, signed provider jar from the test class path. */
class UnsignedJarsTest {

    @TempDir
    Path dir;

    @Test
    void aSignedJarLosesItsSignatureAndNothingElse() throws Exception {
        Path original = Path.of(BouncyCastleProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = Files.copy(original, dir.resolve("bcprov.jar"));
        assertThat(signers(jar, "org/bouncycastle/jce/provider/BouncyCastleProvider.class")).as("signed before").isTrue();

        assertThat(UnsignedJars.strip(jar)).isTrue();

        Map<String, byte[]> before = entries(original);
        Map<String, byte[]> after = entries(jar);
        before.keySet().removeIf(UnsignedJars::isSignature);
        assertThat(before).as("at least the signature file went").hasSizeLessThan(entries(original).size());
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet()); // same entries, same order
        before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
        assertThat(signers(jar, "org/bouncycastle/jce/provider/BouncyCastleProvider.class")).as("signed after").isFalse();

        // The provider still loads and works from the rewritten jar.
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            java.security.Provider provider = (java.security.Provider) loader
                    .loadClass("org.bouncycastle.jce.provider.BouncyCastleProvider").getConstructor().newInstance();
            assertThat(java.security.MessageDigest.getInstance("SHA-256", provider).digest(new byte[0])).hasSize(32);
        }
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void anUnsignedJarIsLeftAsItIs() throws Exception {
        Path jar = dir.resolve("plain.jar");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            out.write("Manifest-Version: 1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.putNextEntry(new ZipEntry("a/B.class"));
            out.write(new byte[] {1, 2, 3});
        }
        byte[] bytes = Files.readAllBytes(jar);
        assertThat(UnsignedJars.strip(jar)).isFalse();
        assertThat(Files.readAllBytes(jar)).isEqualTo(bytes);
    }

    @Test
    void signatureFilesAreTheTopLevelOnesOfMetaInf() {
        assertThat(UnsignedJars.isSignature("META-INF/BC2048KE.SF")).isTrue();
        assertThat(UnsignedJars.isSignature("META-INF/BC2048KE.RSA")).isTrue();
        assertThat(UnsignedJars.isSignature("META-INF/x.ec")).isTrue();
        assertThat(UnsignedJars.isSignature("META-INF/SIG-FOO")).isTrue();
        assertThat(UnsignedJars.isSignature("META-INF/MANIFEST.MF")).isFalse();
        assertThat(UnsignedJars.isSignature("META-INF/versions/9/X.SF")).isFalse();
        assertThat(UnsignedJars.isSignature("org/x/Y.RSA")).isFalse();
    }

    private static boolean signers(Path jar, String entry) throws Exception {
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            JarEntry e = file.getJarEntry(entry);
            try (InputStream in = file.getInputStream(e)) {
                in.readAllBytes(); // signers are known once the entry is read whole
            }
            return e.getCodeSigners() != null;
        }
    }

    private static Map<String, byte[]> entries(Path jar) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }
}
