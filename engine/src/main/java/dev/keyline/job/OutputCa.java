package dev.keyline.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;

import dev.keyline.ca.store.CaFolder;

/**
 * The CA whose certificates an output holds, as the output records it: the CA certificate's subject and the SHA-256 of
 * its DER. One output, one CA: its manifest says nothing of the issuer per device, and {@code register} sends every
 * device with one CA certificate.
 */
public record OutputCa(String subject, String sha256) {

    static OutputCa of(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new OutputCa(certificate.getSubjectX500Principal().getName(), HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot take the SHA-256 of the CA certificate", e);
        }
    }

    /** The CA of a CA folder, from its certificate alone (no passphrase); empty when the folder no longer has one. */
    public static Optional<OutputCa> read(Path caDir) {
        Path file = caDir.resolve(CaFolder.CERTIFICATE_FILE);
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(of((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)));
        } catch (IOException | CertificateException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** The CA of the newest run in the output, by the CA folder it used, if that folder still has its certificate. */
    static Optional<OutputCa> ofEarlierRuns(Provisioning provisioning, Path out) {
        return provisioning.executions(out).stream().findFirst().flatMap(e -> read(e.request().ca()));
    }

    /** For messages: the subject and the fingerprint. */
    String describe() {
        return "\"" + subject + "\" (SHA-256 " + sha256 + ")";
    }
}
