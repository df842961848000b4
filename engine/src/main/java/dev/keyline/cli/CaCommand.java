package dev.keyline.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.Passphrases;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.CaSecrets;
import dev.keyline.ca.store.HsmCaSigner;
import dev.keyline.hsm.HsmPin;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.x509.CaInitializer;
import dev.keyline.x509.SubjectName;
import dev.keyline.x509.TokenCaInitializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keyline ca ...}: the company CA that signs device certificates. */
@Command(name = "ca", mixinStandardHelpOptions = true,
        description = {"Create the device CA, and register it with AWS IoT Core across accounts for just-in-time provisioning.",
                "Sub-commands: init, plan, register, describe."},
        subcommands = {CaCommand.Init.class, CaPlanCommand.class, CaRegisterCommand.class, CaDescribeCommand.class})
final class CaCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "name a sub-command: keyline ca init, plan, register or describe");
    }

    @Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Create a CA: a self-signed root, or an intermediate signed by the CA in --issuer.",
                    "The private key goes into DIR/ca.p12, protected by the passphrase from the environment variable "
                            + Secrets.CA_PASSPHRASE + " or --passphrase-file (never an argument).",
                    "With --hsm FILE the key is generated in that PKCS#11 token instead (sensitive, not extractable); "
                            + "the user PIN comes from the file's pin-file or $" + HsmPin.ENV + ", and DIR records "
                            + "the file and the key label, never the PIN."})
    static final class Init implements Callable<Integer> {

        @Option(names = "--subject", required = true, paramLabel = "DN",
                description = "CA subject, RFC 4514 (\"CN=Acme Device CA,O=Acme,C=US\") or OpenSSL form (/C=US/O=Acme/CN=...)")
        String subject;

        @Option(names = "--key", defaultValue = "ec-p256", paramLabel = "ALG",
                description = "ec-p256 | ec-p384 | rsa-2048 | rsa-3072 | rsa-4096 (default: ${DEFAULT-VALUE})")
        String key;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to create for the CA")
        Path out;

        @Option(names = "--issuer", paramLabel = "DIR", description = "parent CA folder: makes an intermediate CA")
        Path issuer;

        @Option(names = "--validity-days", defaultValue = "7300", paramLabel = "N",
                description = "validity of the CA certificate (default: ${DEFAULT-VALUE})")
        long validityDays;

        @Option(names = "--passphrase-file", paramLabel = "FILE",
                description = "file whose first line is the new CA's passphrase (else $" + Secrets.CA_PASSPHRASE + ")")
        Path passphraseFile;

        @Option(names = "--issuer-passphrase-file", paramLabel = "FILE",
                description = "passphrase of the --issuer CA (else $" + Secrets.ISSUER_PASSPHRASE
                        + ", else the new CA's passphrase)")
        Path issuerPassphraseFile;

        @Option(names = "--hsm", paramLabel = "FILE",
                description = "generate the CA key in the PKCS#11 token this configuration names (library, "
                        + "token-label | slot-id | slot-index, optional pin-file)")
        Path hsm;

        @Option(names = "--key-label", paramLabel = "LABEL",
                description = "with --hsm: the key's label in the token (default: keyline-ca-<UTC time>)")
        String keyLabel;

        @Override
        public Integer call() {
            if (validityDays < 1) {
                throw new UsageException("--validity-days must be at least 1");
            }
            // A certificate's time ends with the year 9999 (RFC 5280); past it, the time cannot be encoded.
            long daysToYear10000 = java.time.temporal.ChronoUnit.DAYS.between(java.time.LocalDate.now(java.time.ZoneOffset.UTC),
                    java.time.LocalDate.of(10000, 1, 1));
            if (validityDays >= daysToYear10000) {
                throw new UsageException("--validity-days " + validityDays + " ends after the year 9999, the last a "
                        + "certificate can name: use at most " + (daysToYear10000 - 1));
            }
            SubjectName name = SubjectName.parse(subject);
            KeyAlgorithm algorithm = KeyAlgorithm.fromId(key);
            if (hsm != null) {
                return initInToken(name, algorithm);
            }
            if (keyLabel != null) {
                throw new UsageException("--key-label names a key in a token: it needs --hsm FILE");
            }
            char[] passphrase = Secrets.caPassphrase(Optional.ofNullable(passphraseFile));
            Optional<CertificateAuthority> parent = Optional.empty();
            try {
                if (issuer != null) {
                    // The issuer's own passphrase when one is given, else the new CA's.
                    boolean own = issuerPassphraseFile != null || System.getenv(Secrets.ISSUER_PASSPHRASE) != null;
                    parent = Optional.of(openIssuer(() -> own ? Passphrases.resolve(Optional.ofNullable(issuerPassphraseFile),
                            System.getenv(), Secrets.ISSUER_PASSPHRASE) : passphrase.clone()));
                }
                CertificateAuthority ca = new CaInitializer().init(name, algorithm, Duration.ofDays(validityDays), out,
                        parent, passphrase);
                System.out.println("Created " + (parent.isPresent() ? "intermediate" : "root") + " CA "
                        + ca.certificate().getSubjectX500Principal().getName() + " in " + out.toAbsolutePath().normalize());
                System.out.println("  certificate: " + out.resolve(CaFolder.CERTIFICATE_FILE) + " (valid until "
                        + ca.certificate().getNotAfter().toInstant() + ")");
                System.out.println("  private key: " + out.resolve(CaFolder.KEY_STORE_FILE) + " (PKCS#12, mode 0600)");
                return ExitCodes.OK;
            } finally {
                Arrays.fill(passphrase, '\0');
                parent.ifPresent(CaRegistrationSetup::close);
            }
        }

        /** {@code --hsm}: the key is made in the token; no passphrase, the PIN comes from the HSM configuration. */
        private Integer initInToken(SubjectName name, KeyAlgorithm algorithm) {
            String label = keyLabel != null ? keyLabel
                    : "keyline-ca-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
            CertificateAuthority parent = null;
            CertificateAuthority ca = null;
            try {
                if (issuer != null) {
                    parent = openIssuer(() -> Passphrases.resolve(Optional.ofNullable(issuerPassphraseFile), System.getenv(),
                            System.getenv(Secrets.ISSUER_PASSPHRASE) != null || issuerPassphraseFile != null
                                    ? Secrets.ISSUER_PASSPHRASE : Secrets.CA_PASSPHRASE));
                }
                ca = new TokenCaInitializer().init(name, algorithm, Duration.ofDays(validityDays), out,
                        Optional.ofNullable(parent), hsm, label, System.getenv());
                System.out.println("Created " + (parent != null ? "intermediate" : "root") + " CA "
                        + ca.certificate().getSubjectX500Principal().getName() + " in " + out.toAbsolutePath().normalize());
                System.out.println("  certificate: " + out.resolve(CaFolder.CERTIFICATE_FILE) + " (valid until "
                        + ca.certificate().getNotAfter().toInstant() + ")");
                System.out.println("  private key: in the token (" + ((HsmCaSigner) ca.signer()).tokenName() + "), label \""
                        + label + "\", sensitive and not extractable");
                return ExitCodes.OK;
            } finally {
                CaRegistrationSetup.close(parent);
                CaRegistrationSetup.close(ca);
            }
        }

        /** The {@code --issuer} CA, unlocked with {@code passphrase} (asked for only if its key is in ca.p12) or its token's PIN. */
        private CertificateAuthority openIssuer(Supplier<char[]> passphrase) {
            return new CaFolder(issuer).keyStore().open(new CaSecrets(passphrase, System.getenv()));
        }
    }
}
