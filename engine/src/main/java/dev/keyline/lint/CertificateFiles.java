package dev.keyline.lint;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Reads certificates made anywhere: PEM (one or many, text around them allowed) or DER. */
public final class CertificateFiles {

    private CertificateFiles() {
    }

    /**
     * @throws UnreadableCertificateException when the file is missing or holds no certificate
     */
    public static List<X509Certificate> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UnreadableCertificateException(file + ": no such file");
        } catch (IOException e) {
            throw new UnreadableCertificateException(file + ": cannot read: " + e.getMessage());
        }
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            throw new UnreadableCertificateException(file + " holds no X.509 certificate in PEM or DER: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new UnreadableCertificateException(file + " holds no X.509 certificate in PEM or DER");
        }
        return out;
    }
}
