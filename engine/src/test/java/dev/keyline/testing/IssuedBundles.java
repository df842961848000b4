package dev.keyline.testing;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Checks an output's bundles (directory layout) against its ledger, each certificate by the JDK's validator. */
public final class IssuedBundles {

    private IssuedBundles() {
    }

    /**
     * Every device's {@code bundles/<id>/device.crt.pem} chains to the CA's certificate (JDK CertPathValidator) and is
     * the certificate the ledger records for it.
     *
     * @param certificateIds device id -> certificate id, as {@link LedgerFile#certificateIds(Path)} reads them
     */
    public static void verify(Path out, Path caDir, Map<String, String> certificateIds) {
        X509Certificate root = IndependentVerifier.readCertificate(caDir.resolve("ca.crt.pem"));
        for (Map.Entry<String, String> device : certificateIds.entrySet()) {
            X509Certificate certificate = IndependentVerifier.readCertificate(
                    out.resolve("bundles").resolve(device.getKey()).resolve("device.crt.pem"));
            IndependentVerifier.validateWithJdk(certificate, List.of(), root);
            String sha256 = sha256(certificate);
            if (!sha256.equals(device.getValue())) {
                throw new AssertionError("the bundle of " + device.getKey() + " holds certificate " + sha256
                        + ", the ledger " + device.getValue());
            }
        }
    }

    private static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new AssertionError(e);
        }
    }
}
