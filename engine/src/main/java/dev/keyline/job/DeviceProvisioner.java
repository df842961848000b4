package dev.keyline.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import dev.keyline.bundle.BundleFile;
import dev.keyline.bundle.BundleWriter;
import dev.keyline.bundle.DeviceBundle;
import dev.keyline.bundle.WrittenBundle;
import dev.keyline.device.DeviceSpec;
import dev.keyline.device.DeviceSpecParser;
import dev.keyline.device.InvalidDeviceException;
import dev.keyline.device.ManifestColumns;
import dev.keyline.device.ManifestRecord;
import dev.keyline.device.ManifestScan;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.LedgerEntry;
import dev.keyline.ledger.Rejection;
import dev.keyline.ledger.RegistrationInput;
import dev.keyline.lint.DeviceLinter;
import dev.keyline.lint.LintedDevice;
import dev.keyline.x509.IssuanceException;
import dev.keyline.x509.IssuanceRequest;
import dev.keyline.x509.IssuedCertificate;
import dev.keyline.x509.Issuer;

/**
 * Issues one device from one manifest row: validate, refuse what the ledger already holds, make the key, sign
 * the certificate, write the bundle. Plain Java (no Spring types) so benchmarks drive the very same path.
 * One instance per worker thread: it owns that thread's {@link BundleWriter}.
 */
public final class DeviceProvisioner {

    private final RunIdentity run;
    private final IssuanceKit kit;
    private final Issuer issuer;
    private final DeviceSpecParser parser;
    private final ManifestScan scan;
    private final Ledger ledger;
    private final BundleWriter bundles;
    private final Clock clock;
    private final MessageDigest sha256;
    private final Optional<DeviceLinter> lint;
    private final boolean outputHasEarlierRuns;

    public DeviceProvisioner(RunIdentity run, IssuanceKit kit, Issuer issuer, ManifestScan scan, Ledger ledger,
                             BundleWriter bundles, Clock clock) {
        this(run, kit, issuer, scan, ledger, bundles, clock, Optional.empty());
    }

    /** @param lint run on every parsed device before its key is made; a device with errors is rejected, never signed */
    public DeviceProvisioner(RunIdentity run, IssuanceKit kit, Issuer issuer, ManifestScan scan, Ledger ledger,
                             BundleWriter bundles, Clock clock, Optional<DeviceLinter> lint) {
        this.run = run;
        this.lint = lint;
        this.kit = kit;
        this.issuer = issuer;
        this.parser = new DeviceSpecParser(false);
        this.scan = scan;
        this.ledger = ledger;
        this.bundles = bundles;
        this.clock = clock;
        // Within one run a device is never read twice (a restart resumes after the committed chunks), so only
        // devices issued by earlier runs into the same output can be in the ledger. Outputs are locked to one
        // process, so if there are none now there will be none during this run: skip a query per device.
        this.outputHasEarlierRuns = ledger.countIssuedByOtherRuns(run.outputId(), run.jobInstanceId()) > 0;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * @return the outcome, or empty when the output already holds an identity for the device (nothing to do)
     */
    public Optional<IssueOutcome> provision(ManifestRecord record) {
        DeviceSpec spec;
        try {
            Long firstLine = scan.firstLineOfDuplicate(record.index());
            if (firstLine != null) {
                throw new InvalidDeviceException(record.line(), record.rawDeviceId(), "device_id '" + record.rawDeviceId()
                        + "' already appears on line " + firstLine + "; each device may appear once in a manifest");
            }
            spec = parser.parse(record);
        } catch (InvalidDeviceException e) {
            return Optional.of(reject(record, e.deviceId(), e.reason()));
        }
        if (lint.isPresent()) {
            LintedDevice linted = lint.get().check(spec, Optional.ofNullable(record.fields().get(ManifestColumns.SUBJECT)));
            if (linted.hasErrors()) {
                return Optional.of(reject(record, spec.deviceId(), linted.rejectionReason()));
            }
            spec = linted.spec().orElseThrow();
        }

        Optional<LedgerEntry> existing = outputHasEarlierRuns
                ? ledger.find(run.outputId(), spec.deviceId()) : Optional.empty();
        if (existing.isPresent()) {
            // One identity per device per output: an earlier run already issued it, so this row is done.
            return Optional.empty();
        }

        KeyAlgorithm algorithm = spec.key().or(kit::defaultKey).orElse(kit.profile().defaultKeyAlgorithm());
        if (!kit.profile().allowedKeyAlgorithms().contains(algorithm)) {
            return Optional.of(reject(record, spec.deviceId(), "key '" + algorithm.id()
                    + "' is not allowed by the certificate profile; allowed: " + kit.profile().allowedKeyAlgorithms()
                    .stream().map(KeyAlgorithm::id).sorted().toList()));
        }

        KeyPair keyPair = kit.keySource().generate(algorithm);
        IssuedCertificate certificate;
        try {
            certificate = issuer.issue(new IssuanceRequest(spec.subject(), spec.altNames(), keyPair.getPublic()));
        } catch (IssuanceException e) {
            return Optional.of(reject(record, spec.deviceId(), e.getMessage()));
        }
        WrittenBundle written;
        try {
            written = bundles.write(new DeviceBundle(spec.deviceId(), certificate.certificate(), certificate.der(),
                    keyPair.getPrivate(), kit.ca().chain()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bundle of " + spec.deviceId() + ": " + e.getMessage(), e);
        }
        Instant now = clock.instant();
        return Optional.of(new IssueOutcome.Issued(new LedgerEntry(run.outputId(), spec.deviceId(), run.jobInstanceId(),
                run.jobExecutionId(), record.index(), record.line(), spec.thingName(), certificate.certificateId(),
                certificate.serial().toString(16), hex(keyPair.getPublic().getEncoded()),
                certificate.certificate().getNotBefore().toInstant(), certificate.certificate().getNotAfter().toInstant(),
                algorithm.id(), LedgerEntry.KeyLocation.BUNDLE, written.bundlePath(), sums(written),
                LedgerEntry.IdentityStatus.ISSUED, now, Optional.of(new RegistrationInput(certificate.der(),
                        spec.thingType(), spec.thingGroups(), spec.attributes(), spec.accounts())))));
    }

    /** Makes every bundle this provisioner wrote durable; called once per chunk, before it commits. */
    public void makeDurable() {
        try {
            bundles.makeDurable();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the chunk's bundles durable: " + e.getMessage(), e);
        }
    }

    private IssueOutcome reject(ManifestRecord record, String deviceId, String reason) {
        return new IssueOutcome.Rejected(new Rejection(run.outputId(), run.jobInstanceId(), record.index(), record.line(),
                deviceId, reason, clock.instant()));
    }

    private String hex(byte[] data) {
        return HexFormat.of().formatHex(sha256.digest(data));
    }

    private static String sums(WrittenBundle written) {
        StringBuilder sums = new StringBuilder(256);
        for (BundleFile file : written.files()) {
            sums.append(file.sha256()).append("  ").append(file.path()).append('\n');
        }
        return sums.toString();
    }
}
