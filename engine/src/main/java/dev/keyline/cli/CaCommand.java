package dev.keyline.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.keyline.ca.CaDirectory;
import dev.keyline.ca.CaException;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.HsmCaSigner;
import dev.keyline.ca.Passphrases;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.hsm.HsmConfig;
import dev.keyline.hsm.HsmException;
import dev.keyline.hsm.HsmPin;
import dev.keyline.hsm.Pkcs11Token;
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
            char[] issuerPassphrase = null;
            try {
                Optional<CertificateAuthority> parent = Optional.empty();
                if (issuer != null) {
                    issuerPassphrase = issuerPassphraseFile != null || System.getenv(Secrets.ISSUER_PASSPHRASE) != null
                            ? Passphrases.resolve(Optional.ofNullable(issuerPassphraseFile), System.getenv(),
                            Secrets.ISSUER_PASSPHRASE)
                            : passphrase.clone();
                    parent = Optional.of(CaDirectory.keyInToken(issuer)
                            ? CaDirectory.loadFromToken(issuer, System.getenv(), Clock.systemUTC())
                            : CaDirectory.load(issuer, issuerPassphrase));
                }
                CertificateAuthority ca = new CaInitializer().init(name, algorithm, Duration.ofDays(validityDays), out,
                        parent, passphrase);
                System.out.println("Created " + (parent.isPresent() ? "intermediate" : "root") + " CA "
                        + ca.certificate().getSubjectX500Principal().getName() + " in " + out.toAbsolutePath().normalize());
                System.out.println("  certificate: " + out.resolve("ca.crt.pem") + " (valid until "
                        + ca.certificate().getNotAfter().toInstant() + ")");
                System.out.println("  private key: " + out.resolve("ca.p12") + " (PKCS#12, mode 0600)");
                return ExitCodes.OK;
            } finally {
                Arrays.fill(passphrase, '\0');
                if (issuerPassphrase != null) {
                    Arrays.fill(issuerPassphrase, '\0');
                }
            }
        }

        /** {@code --hsm}: the key is made in the token; no passphrase, the PIN comes from the HSM configuration. */
        private Integer initInToken(SubjectName name, KeyAlgorithm algorithm) {
            HsmConfig config;
            try {
                config = HsmConfig.load(hsm);
            } catch (HsmException e) {
                throw new UsageException(e.getMessage());
            }
            String label = keyLabel != null ? keyLabel
                    : "keyline-ca-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
            List<Pkcs11Token> opened = new ArrayList<>();
            try {
                Optional<CertificateAuthority> parent = Optional.empty();
                if (issuer != null) {
                    CertificateAuthority loaded = loadIssuer();
                    if (loaded.signer() instanceof HsmCaSigner tokenSigner) {
                        opened.add(tokenSigner.token());
                    }
                    parent = Optional.of(loaded);
                }
                Pkcs11Token token = openToken(config);
                opened.add(token);
                CertificateAuthority ca = new TokenCaInitializer().init(name, algorithm, Duration.ofDays(validityDays), out,
                        parent, token, config.source(), label);
                System.out.println("Created " + (parent.isPresent() ? "intermediate" : "root") + " CA "
                        + ca.certificate().getSubjectX500Principal().getName() + " in " + out.toAbsolutePath().normalize());
                System.out.println("  certificate: " + out.resolve("ca.crt.pem") + " (valid until "
                        + ca.certificate().getNotAfter().toInstant() + ")");
                System.out.println("  private key: in the token (" + config.token().describe() + "), label \"" + label
                        + "\", sensitive and not extractable");
                return ExitCodes.OK;
            } finally {
                opened.forEach(Pkcs11Token::close);
            }
        }

        private CertificateAuthority loadIssuer() {
            if (CaDirectory.keyInToken(issuer)) {
                return CaDirectory.loadFromToken(issuer, System.getenv(), Clock.systemUTC());
            }
            char[] issuerPassphrase = Passphrases.resolve(Optional.ofNullable(issuerPassphraseFile), System.getenv(),
                    System.getenv(Secrets.ISSUER_PASSPHRASE) != null || issuerPassphraseFile != null
                            ? Secrets.ISSUER_PASSPHRASE : Secrets.CA_PASSPHRASE);
            try {
                return CaDirectory.load(issuer, issuerPassphrase);
            } finally {
                Arrays.fill(issuerPassphrase, '\0');
            }
        }

        private static Pkcs11Token openToken(HsmConfig config) {
            try {
                char[] pin = HsmPin.resolve(config, System.getenv());
                try {
                    return Pkcs11Token.open(config, pin);
                } finally {
                    Arrays.fill(pin, '\0');
                }
            } catch (HsmException e) {
                throw new CaException(e.getMessage(), e);
            }
        }
    }
}
