package dev.keyline.bundle;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The fields a bundle checks and names, read straight from a certificate's DER: its serial, the encodings of its
 * issuer and subject names, and the public key's. A bundle is written for every device; reading these few fields in place is what lets
 * it take the issuer's DER as it is instead of a parsed {@code X509Certificate}.
 *
 * <p>{@link #read} checks the outline of a certificate ({@code SEQUENCE { SEQUENCE tbsCertificate, SEQUENCE
 * signatureAlgorithm, BIT STRING }} filling the array, the TBSCertificate's first fields in their order) but not
 * what it does not read: a full parse, when one is needed, is {@link DeviceBundle#x509()}.
 *
 * @param issuer               the issuer Name's DER
 * @param subject              the subject Name's DER
 * @param subjectPublicKeyInfo the device's public key as the certificate carries it, DER
 */
record CertificateFields(BigInteger serial, byte[] issuer, byte[] subject, byte[] subjectPublicKeyInfo) {

    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int SEQUENCE = 0x30;
    private static final int VERSION = 0xa0;

    /** @throws IllegalArgumentException naming what is not where a certificate has it */
    static CertificateFields read(byte[] der) {
        Element certificate = Element.at(der, 0, der.length, SEQUENCE, "the certificate");
        if (certificate.end != der.length) {
            throw new IllegalArgumentException("there are " + (der.length - certificate.end)
                    + " octets after the certificate");
        }
        Element tbs = Element.at(der, certificate.contents, certificate.end, SEQUENCE, "tbsCertificate");
        Element signatureAlgorithm = Element.at(der, tbs.end, certificate.end, SEQUENCE, "signatureAlgorithm");
        Element signature = Element.at(der, signatureAlgorithm.end, certificate.end, BIT_STRING, "signature");
        if (signature.end != certificate.end) {
            throw new IllegalArgumentException("the certificate has fields after its signature");
        }
        int at = tbs.contents;
        if (at < tbs.end && (der[at] & 0xff) == VERSION) {
            at = Element.at(der, at, tbs.end, VERSION, "version").end;
        }
        Element serial = Element.at(der, at, tbs.end, INTEGER, "serialNumber");
        Element innerAlgorithm = Element.at(der, serial.end, tbs.end, SEQUENCE, "signature");
        Element issuer = Element.at(der, innerAlgorithm.end, tbs.end, SEQUENCE, "issuer");
        Element validity = Element.at(der, issuer.end, tbs.end, SEQUENCE, "validity");
        Element subject = Element.at(der, validity.end, tbs.end, SEQUENCE, "subject");
        Element publicKeyInfo = Element.at(der, subject.end, tbs.end, SEQUENCE, "subjectPublicKeyInfo");
        if (serial.end == serial.contents) {
            throw new IllegalArgumentException("the serialNumber is empty");
        }
        return new CertificateFields(new BigInteger(Arrays.copyOfRange(der, serial.contents, serial.end)),
                Arrays.copyOfRange(der, issuer.start, issuer.end), Arrays.copyOfRange(der, subject.start, subject.end),
                Arrays.copyOfRange(der, publicKeyInfo.start, publicKeyInfo.end));
    }

    /** One element's place: where it starts, where its contents start, where it ends. */
    record Element(int start, int contents, int end) {

        static Element at(byte[] der, int start, int limit, int tag, String name) {
            if (start >= limit || (der[start] & 0xff) != tag) {
                throw new IllegalArgumentException(name + " is missing, or not where a certificate has it");
            }
            int at = start + 1;
            if (at >= limit) {
                throw new IllegalArgumentException(name + " has no length");
            }
            int first = der[at++] & 0xff;
            long length = first;
            if (first >= 0x80) {
                int octets = first & 0x7f;
                if (octets == 0 || octets > 4 || at + octets > limit) {
                    throw new IllegalArgumentException(name + " has an indefinite or truncated length");
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (der[at++] & 0xff);
                }
            }
            if (length > limit - at) {
                throw new IllegalArgumentException(name + " runs past the end of what holds it");
            }
            return new Element(start, at, at + (int) length);
        }
    }
}
