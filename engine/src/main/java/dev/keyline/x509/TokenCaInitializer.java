package dev.keyline.x509;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.keyline.ca.CaException;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.HsmCaSigner;
import dev.keyline.ca.store.Pkcs11CaKeyStore;
import dev.keyline.keys.KeyAlgorithm;

/**
 * The service behind {@code keyline ca init --hsm FILE}: generates the CA key in the token (a sensitive,
 * non-extractable token object), makes a root or intermediate certificate for it, stores the chain in the
 * token next to the key (that is how the key is found again by its label), and writes a CA folder that
 * records the HSM configuration and the key label. Never overwrites a CA folder or a token key.
 */
public final class TokenCaInitializer {

    private final Clock clock;
    private final SerialNumbers serials;

    public TokenCaInitializer() {
        this(Clock.systemUTC(), new SerialNumbers());
    }

    public TokenCaInitializer(Clock clock, SerialNumbers serials) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.serials = Objects.requireNonNull(serials, "serials");
    }

    /**
     * Creates a CA in {@code out} whose key is made in the token {@code hsmConfig} names. The returned CA signs
     * through the token, which stays open until the caller closes the CA's {@link HsmCaSigner}.
     *
     * @param hsmConfig   the HSM configuration file; recorded in the CA folder
     * @param label       CKA_LABEL of the new key
     * @param environment where the user PIN comes from when the configuration has no pin-file
     */
    public CertificateAuthority init(SubjectName subject, KeyAlgorithm algorithm, Duration validity, Path out,
            Optional<CertificateAuthority> issuer, Path hsmConfig, String label, Map<String, String> environment) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        Pkcs11CaKeyStore store = new Pkcs11CaKeyStore(new CaFolder(out), hsmConfig, label);
        store.folder().checkWritable(); // before a key is made in the token
        if (issuer.isPresent() && subject.toX500Name().equals(issuer.get().subject())) {
            throw new CaException("the new CA's subject \"" + subject + "\" is the subject of its issuer: "
                    + "give the intermediate its own CN");
        }
        HsmCaSigner signer = store.generate(algorithm, environment);
        try {
            CaCertificateBuilder builder = issuer
                    .map(parent -> CaCertificateBuilder.intermediate(subject, signer.publicKey(), parent))
                    .orElseGet(() -> CaCertificateBuilder.root(subject, signer));
            X509Certificate certificate = builder.validity(validity).clock(clock).serialNumbers(serials).build();
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            issuer.ifPresent(parent -> chain.addAll(parent.chain()));
            store.write(certificate, chain, signer);
            return new CertificateAuthority(certificate, chain, signer);
        } catch (RuntimeException e) {
            signer.close();
            throw e;
        }
    }
}
