package dev.keyline.ca.store;

import java.time.Clock;

import dev.keyline.ca.CaException;
import dev.keyline.ca.CertificateAuthority;

/**
 * Where a CA folder's private key lives, and how it is unlocked: {@link Pkcs12CaKeyStore} (ca.p12 beside the
 * certificates, opened with the CA passphrase) or {@link Pkcs11CaKeyStore} (a token, opened with its user PIN).
 * A folder's {@code ca.properties} chooses it: {@link CaFolder#keyStore()}. Each strategy also writes its key
 * files when {@code keyline ca init} makes a new CA.
 */
public sealed interface CaKeyStore permits Pkcs12CaKeyStore, Pkcs11CaKeyStore {

    /** The CA folder whose key this is. */
    CaFolder folder();

    /**
     * Opens the CA ready to sign: the folder's chain, checked (linked, a CA certificate, valid by {@code clock}),
     * and its key, unlocked with what {@code secrets} gives and proven to belong to the certificate.
     *
     * @throws CaException for every failure, with a message that names the file or token and what to do
     */
    CertificateAuthority open(CaSecrets secrets, Clock clock);

    /** {@link #open(CaSecrets, Clock)}, valid by the system clock. */
    default CertificateAuthority open(CaSecrets secrets) {
        return open(secrets, Clock.systemUTC());
    }
}
