package dev.keyline.ca;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.keyline.bundle.Pem;

/**
 * Runs the {@code openssl} command line, the independent verifier of every certificate the tests issue.
 * A missing openssl fails the test in the full suite and skips it elsewhere (see OpenSslAvailability).
 */
public final class OpenSsl {

    public record Result(int exitCode, String output) {
    }

    private OpenSsl() {
    }

    /** Runs {@code openssl args...} and returns its exit code and combined stdout/stderr. */
    public static Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(dev.keyline.testing.OpenSslAvailability.require().toString());
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("openssl is needed to verify certificates independently but could not be started ("
                    + e.getMessage() + "): install OpenSSL 3 and put `openssl` on the PATH");
        }
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail("openssl " + String.join(" ", args) + " did not finish in 30 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException | InterruptedException e) {
            return fail("running openssl failed: " + e);
        }
    }

    /** Runs openssl and fails the test unless it exits 0. */
    public static String ok(String... args) {
        Result r = run(args);
        if (r.exitCode() != 0) {
            fail("openssl " + String.join(" ", args) + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }

    /** Writes certificates as one PEM file. */
    public static Path pem(Path file, X509Certificate... certificates) throws IOException {
        try {
            Files.write(file, Pem.certificates(List.of(certificates)));
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode a certificate for " + file, e);
        }
        return file;
    }

    /**
     * {@code openssl verify -CAfile root [-untrusted intermediates] leaf}; fails the test unless it says OK.
     * {@code -x509_strict} also holds the certificates to RFC 5280's stricter encoding rules.
     */
    public static void verify(Path dir, X509Certificate root, List<X509Certificate> intermediates, X509Certificate leaf)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("verify", "-x509_strict", "-CAfile",
                pem(dir.resolve("root.pem"), root).toString()));
        if (!intermediates.isEmpty()) {
            args.add("-untrusted");
            args.add(pem(dir.resolve("untrusted.pem"), intermediates.toArray(new X509Certificate[0])).toString());
        }
        args.add(pem(dir.resolve("leaf.pem"), leaf).toString());
        String output = ok(args.toArray(new String[0]));
        if (!output.contains(": OK")) {
            fail("openssl verify did not say OK:\n" + output);
        }
    }

    /** {@code openssl x509 -noout -text} of a certificate. */
    public static String text(Path dir, X509Certificate certificate, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("x509", "-noout", "-text", "-in",
                pem(Files.createTempFile(dir, "cert", ".pem"), certificate).toString()));
        args.addAll(List.of(extra));
        return ok(args.toArray(new String[0]));
    }
}
