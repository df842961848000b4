package dev.keyline.x509;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.keyline.ca.CaDirectory;
import dev.keyline.ca.CaException;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.HsmCaSigner;
import dev.keyline.hsm.Pkcs11Token;
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
     * @param hsmConfig the configuration file {@code token} was opened with; recorded in the CA folder
     * @param label     CKA_LABEL of the new key
     */
    public CertificateAuthority init(SubjectName subject, KeyAlgorithm algorithm, Duration validity, Path out,
            Optional<CertificateAuthority> issuer, Pkcs11Token token, Path hsmConfig, String label) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        CaDirectory.checkWritable(out); // before a key is made in the token
        if (issuer.isPresent() && subject.toX500Name().equals(issuer.get().subject())) {
            throw new CaException("the new CA's subject \"" + subject + "\" is the subject of its issuer: "
                    + "give the intermediate its own CN");
        }
        HsmCaSigner signer = HsmCaSigner.generate(token, algorithm, label);
        CaCertificateBuilder builder = issuer
                .map(parent -> CaCertificateBuilder.intermediate(subject, signer.publicKey(), parent))
                .orElseGet(() -> CaCertificateBuilder.root(subject, signer));
        X509Certificate certificate = builder.validity(validity).clock(clock).serialNumbers(serials).build();
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        issuer.ifPresent(parent -> chain.addAll(parent.chain()));
        signer.storeCertificateChain(chain);
        CaDirectory.writeForToken(out, certificate, chain, hsmConfig, signer);
        return new CertificateAuthority(certificate, chain, signer);
    }
}
