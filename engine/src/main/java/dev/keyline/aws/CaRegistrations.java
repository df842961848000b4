package dev.keyline.aws;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.keyline.aws.CaRegistrationPlan.AccountPlan;
import dev.keyline.bundle.Pem;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.x509.IssuedCertificate;
import dev.keyline.x509.VerificationCertificates;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Brings one account's registration of the CA to what the plan says, idempotently. {@link #decide} compares the plan
 * with what AWS holds (read-only); {@link #apply} then makes only the calls that differ:
 * <ul>
 *   <li>not registered: register it (DEFAULT: GetRegistrationCode, a verification certificate signed by the CA key and
 *       checked locally, RegisterCACertificate; SNI_ONLY: RegisterCACertificate without one);</li>
 *   <li>registered in the planned mode: nothing, or UpdateCACertificate when the JITP template or role differs or
 *       auto-registration is asked and off; the CA's status is reported, never changed;</li>
 *   <li>registered in the other mode: AWS cannot change a CA's mode, so with {@code --replace} it is made INACTIVE,
 *       deleted and registered again (for DEFAULT the verification certificate is made and checked before anything is
 *       deleted); without {@code --replace} nothing is done and the caller refuses.</li>
 * </ul>
 * Stateless.
 */
public final class CaRegistrations {

    /** What a registration needs. */
    public enum Kind {
        /** The account does not hold the CA: register it. */
        REGISTER,
        /** The account holds it as planned. */
        NOTHING,
        /** The account holds it in the planned mode; its template or auto-registration is updated. */
        UPDATE,
        /** The account holds it in the other mode: deactivate, delete and register again (needs --replace). */
        REPLACE
    }

    /** What {@link #decide} found for one account: the plan, what AWS holds, and what would change. */
    public record Action(AccountPlan plan, Optional<RegisteredCa> current, Kind kind, List<String> changes) {
        public Action {
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(kind, "kind");
            changes = List.copyOf(changes);
        }

        /** Whether carrying it out needs the CA's private key (a DEFAULT registration's verification certificate). */
        public boolean needsCaKey() {
            return plan.mode() == CaMode.DEFAULT && (kind == Kind.REGISTER || kind == Kind.REPLACE);
        }
    }

    /** What {@link #apply} did, and the CA as AWS now holds it. */
    public record Outcome(Action action, RegisteredCa registered, List<String> notes) {
        public Outcome {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(registered, "registered");
            notes = List.copyOf(notes);
        }
    }

    /** Whether new registrations are made ACTIVE ({@code --inactive}: not). */
    public record Options(boolean active) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CaRegistrations() {
    }

    /** Compares the plan for an account with what the account holds ({@code current}, from DescribeCACertificate). */
    public static Action decide(AccountPlan plan, Optional<RegisteredCa> current) {
        if (current.isEmpty()) {
            return new Action(plan, current, Kind.REGISTER, List.of("register as " + plan.mode()));
        }
        RegisteredCa held = current.get();
        if (held.mode() != plan.mode()) {
            return new Action(plan, current, Kind.REPLACE, List.of("registered as " + held.mode() + ", planned "
                    + plan.mode() + ": AWS cannot change a CA's mode; deactivate, delete and register again as " + plan.mode()));
        }
        List<String> changes = new ArrayList<>();
        if (plan.jitp().isPresent() && !sameConfig(plan.jitp().get(), held)) {
            changes.add("set the registration config: template " + plan.jitp().get().source() + ", role "
                    + plan.jitp().get().roleArn());
        }
        if (plan.autoRegistration() && !held.autoRegistration()) {
            changes.add("turn auto-registration on");
        }
        return new Action(plan, current, changes.isEmpty() ? Kind.NOTHING : Kind.UPDATE, changes);
    }

    /**
     * Carries out a decided action.
     *
     * @param caCertificate the CA certificate (its PEM is what is registered)
     * @param ca            the CA with its signer, loaded only if a verification certificate must be signed
     * @throws IllegalStateException   for a REPLACE the caller did not allow (check {@link Action#kind()} first)
     * @throws CaRegistrationException when AWS refuses a call
     */
    public static Outcome apply(Action action, CaRegistrar registrar, X509Certificate caCertificate,
                                Supplier<CertificateAuthority> ca, Options options, Clock clock) {
        AccountPlan plan = action.plan();
        String caPem = pem(caCertificate);
        String caId = certificateId(caCertificate);
        List<String> notes = new ArrayList<>();
        RegisteredCa now = switch (action.kind()) {
            case NOTHING -> action.current().orElseThrow();
            case UPDATE -> {
                RegisteredCa held = action.current().orElseThrow();
                registrar.update(caId, plan.jitp().filter(t -> !sameConfig(t, held)),
                        plan.autoRegistration() && !held.autoRegistration());
                yield registrar.describe(caId).orElseThrow(() -> new CaRegistrationException(plan.describeWhere()
                        + ": the CA disappeared while it was being updated; run the command again", null, null));
            }
            case REGISTER -> registrar.register(caId, registration(plan, caPem, verification(plan, registrar, ca, clock, notes),
                    options));
            case REPLACE -> {
                // Everything that can fail locally is done before the registration that exists is deleted.
                Optional<String> verification = verification(plan, registrar, ca, clock, notes);
                RegisteredCa held = action.current().orElseThrow();
                if (held.active()) {
                    registrar.deactivate(caId);
                }
                registrar.delete(caId);
                notes.add("the " + held.mode() + " registration was deactivated and deleted; device certificates registered "
                        + "under it keep the mode they were registered with");
                try {
                    yield registrar.register(caId, registration(plan, caPem, verification, options));
                } catch (CaRegistrationException e) {
                    throw new CaRegistrationException(e.getMessage() + " - the old " + held.mode() + " registration is already "
                            + "deleted: fix the cause and run the command again (it registers the CA, as nothing is left)",
                            e.errorCode().orElse(null), e);
                }
            }
        };
        if (!now.active() && options.active() && action.kind() != Kind.REGISTER && action.kind() != Kind.REPLACE) {
            notes.add("the CA is INACTIVE in this account: devices cannot connect or register under it until it is activated "
                    + "(aws iot update-ca-certificate --certificate-id " + caId + " --new-status ACTIVE)");
        }
        return new Outcome(action, now, notes);
    }

    /** The lowercase hex SHA-256 of the DER: AWS IoT's certificate id (reference/aws-iot.md section 3). */
    public static String certificateId(X509Certificate certificate) {
        try {
            return IssuedCertificate.certificateId(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the CA certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** The certificate as PEM text, as the AWS API takes it. */
    private static String pem(X509Certificate certificate) {
        try {
            return new String(Pem.certificate(certificate.getEncoded()), StandardCharsets.US_ASCII);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate " + certificate.getSubjectX500Principal().getName()
                    + " cannot be encoded: " + e.getMessage(), e);
        }
    }

    private static CaRegistrar.Registration registration(AccountPlan plan, String caPem, Optional<String> verification,
                                                         Options options) {
        return new CaRegistrar.Registration(caPem, plan.mode(), verification, options.active(), plan.autoRegistration(),
                plan.jitp());
    }

    /** DEFAULT: the account's registration code, signed into a verification certificate by the CA key and checked. */
    private static Optional<String> verification(AccountPlan plan, CaRegistrar registrar, Supplier<CertificateAuthority> ca,
                                                 Clock clock, List<String> notes) {
        if (plan.mode() != CaMode.DEFAULT) {
            return Optional.empty();
        }
        String code = registrar.registrationCode();
        try {
            VerificationCertificates.checkCode(code); // before the CA key is unlocked for it
        } catch (IllegalArgumentException e) {
            throw new CaRegistrationException(plan.describeWhere() + ": " + e.getMessage() + "; nothing was sent. Ask AWS for "
                    + "a new code (aws iot delete-registration-code) and run the command again", null, e);
        }
        CertificateAuthority authority = ca.get();
        X509Certificate certificate = VerificationCertificates.issue(authority, code, clock);
        notes.add("ownership proven with a verification certificate CN=" + code + ", signed by " + authority.signer());
        return Optional.of(pem(certificate));
    }

    /** The same template (as JSON, whitespace aside) and role. */
    private static boolean sameConfig(JitpTemplate wanted, RegisteredCa held) {
        if (held.roleArn().isEmpty() || !held.roleArn().get().equals(wanted.roleArn()) || held.templateBody().isEmpty()) {
            return false;
        }
        try {
            return JSON.readTree(wanted.body()).equals(JSON.readTree(held.templateBody().get()));
        } catch (JacksonException e) {
            return wanted.body().equals(held.templateBody().get());
        }
    }
}
