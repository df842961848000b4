package dev.keyline.x509;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.keyline.ca.CaException;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.SoftwareCaSigner;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.Pkcs12CaKeyStore;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeySource;
import dev.keyline.keys.SoftwareKeySource;

/**
 * The service behind {@code keyline ca init --subject DN --key ALG --out DIR [--issuer DIR] [--validity-days N]}:
 * makes a key in software, a root or intermediate CA certificate for it, and a new CA folder with the key in ca.p12.
 * Never overwrites an existing CA folder. Thread-safe.
 */
public final class CaInitializer {

    private final KeySource keys;
    private final Clock clock;
    private final SerialNumbers serials;

    public CaInitializer() {
        this(new SoftwareKeySource(), Clock.systemUTC(), new SerialNumbers());
    }

    public CaInitializer(KeySource keys, Clock clock, SerialNumbers serials) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.serials = Objects.requireNonNull(serials, "serials");
    }

    /**
     * Creates a CA in {@code out}: a root when {@code issuer} is empty, else an intermediate signed by it.
     *
     * @throws CaException when {@code out} already holds a CA or other files, or an intermediate's subject
     *                     equals its issuer's
     */
    public CertificateAuthority init(SubjectName subject, KeyAlgorithm algorithm, Duration validity, Path out,
            Optional<CertificateAuthority> issuer, char[] passphrase) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(passphrase, "passphrase");
        Pkcs12CaKeyStore store = new Pkcs12CaKeyStore(new CaFolder(out));
        store.folder().checkWritable(); // before the key generation, which can take seconds for RSA
        if (issuer.isPresent() && subject.toX500Name().equals(issuer.get().subject())) {
            throw new CaException("the new CA's subject \"" + subject + "\" is the subject of its issuer: "
                    + "give the intermediate its own CN");
        }
        KeyPair keyPair = keys.generate(algorithm);
        CaCertificateBuilder builder = issuer
                .map(parent -> CaCertificateBuilder.intermediate(subject, keyPair.getPublic(), parent))
                .orElseGet(() -> CaCertificateBuilder.root(subject, keyPair));
        X509Certificate certificate = builder.validity(validity).clock(clock).serialNumbers(serials).build();
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        issuer.ifPresent(parent -> chain.addAll(parent.chain()));
        store.write(certificate, chain, keyPair.getPrivate(), passphrase);
        return new CertificateAuthority(certificate, chain,
                new SoftwareCaSigner(keyPair.getPrivate(), keyPair.getPublic()));
    }
}
