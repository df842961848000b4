package dev.keyline.aws;

/**
 * The status a certificate is registered with. Only these two: a certificate registered as REVOKED can never be
 * activated, and the PENDING_* states belong to AWS's own flows (JITP, transfer).
 */
public enum CertificateStatus {
    ACTIVE,
    INACTIVE
}
