package dev.keyline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Checks certificates with verifiers that share no code with Keyline: the JDK's PKIX CertPathValidator and the
 * OpenSSL command line (where it is installed; the full suite requires it: see {@link OpenSslAvailability}).
 */
public final class IndependentVerifier {

    private IndependentVerifier() {
    }

    public static X509Certificate readCertificate(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (Exception e) {
            throw new AssertionError("cannot read a certificate from " + pem, e);
        }
    }

    /** PKIX path validation (revocation off) of leaf + intermediates up to the root as trust anchor. */
    public static void validateWithJdk(X509Certificate leaf, List<X509Certificate> intermediates, X509Certificate root) {
        validateWithJdk(leaf, intermediates, root, null);
    }

    /** As {@link #validateWithJdk(X509Certificate, List, X509Certificate)}, at another time than now (null: now). */
    public static void validateWithJdk(X509Certificate leaf, List<X509Certificate> intermediates, X509Certificate root,
                                       Instant at) {
        try {
            List<X509Certificate> path = new ArrayList<>();
            path.add(leaf);
            path.addAll(intermediates);
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
            params.setRevocationEnabled(false);
            if (at != null) {
                params.setDate(Date.from(at));
            }
            CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(path), params);
        } catch (Exception e) {
            throw new AssertionError("JDK CertPathValidator refused " + leaf.getSubjectX500Principal() + ": " + e, e);
        }
    }

    /** {@code openssl verify -CAfile root [-untrusted chain] cert...}; all must verify. */
    public static void verifyWithOpenSsl(Path rootPem, Path untrustedPem, List<Path> certificates) {
        if (!OpenSslAvailability.shouldVerify()) {
            return; // no openssl outside the full suite: the JDK's validator is the independent check there
        }
        List<String> command = new ArrayList<>(List.of(openssl(), "verify", "-CAfile", rootPem.toString()));
        if (untrustedPem != null) {
            command.add("-untrusted");
            command.add(untrustedPem.toString());
        }
        certificates.forEach(c -> command.add(c.toString()));
        String output = run(command);
        for (Path c : certificates) {
            assertThat(output).as("openssl verify output").contains(c + ": OK");
        }
    }

    /** Runs openssl with arguments and returns stdout+stderr; fails on a non-zero exit. */
    public static String openssl(String... args) {
        List<String> command = new ArrayList<>();
        command.add(openssl());
        command.addAll(List.of(args));
        return run(command);
    }

    private static String openssl() {
        return OpenSslAvailability.require().toString();
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError("failed (" + p.exitValue() + "): " + String.join(" ", command) + "\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
