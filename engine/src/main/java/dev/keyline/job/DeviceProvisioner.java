package dev.keyline.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.keyline.bundle.BundleFile;
import dev.keyline.bundle.BundleWriter;
import dev.keyline.bundle.DeviceBundle;
import dev.keyline.bundle.KeyReference;
import dev.keyline.bundle.WrittenBundle;
import dev.keyline.device.DeviceSpec;
import dev.keyline.device.DeviceSpecParser;
import dev.keyline.device.InvalidDeviceException;
import dev.keyline.device.ManifestColumns;
import dev.keyline.device.ManifestRecord;
import dev.keyline.device.ManifestScan;
import dev.keyline.keys.DeviceKey;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeyLocation;
import dev.keyline.digest.Sha256;
import dev.keyline.keys.TokenKeyConflictException;
import dev.keyline.ledger.ArchiveRecord;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.LedgerEntry;
import dev.keyline.ledger.Rejection;
import dev.keyline.ledger.RegistrationInput;
import dev.keyline.lint.DeviceLinter;
import dev.keyline.lint.LintedDevice;
import dev.keyline.output.ManifestRowsWriter;
import dev.keyline.x509.IssuanceException;
import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.DeviceCsr;
import dev.keyline.x509.InvalidCsrException;
import dev.keyline.x509.InvalidSubjectException;
import dev.keyline.x509.IssuanceRequest;
import dev.keyline.x509.IssuedCertificate;
import dev.keyline.x509.Issuer;

/**
 * Issues one device from one manifest row: validate, refuse what the ledger already holds, make the key, sign
 * the certificate, write the bundle. Plain Java (no Spring types) so benchmarks drive the very same path.
 * One instance per worker thread: it owns that thread's {@link BundleWriter}.
 */
public final class DeviceProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceProvisioner.class);

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
    private final Set<String> csrKeys;
    /** The CSR keys this partition added to {@link #csrKeys} in its current chunk. */
    private final List<String> chunkCsrKeys = new ArrayList<>();
    private ManifestRowsWriter manifestRows;

    public DeviceProvisioner(RunIdentity run, IssuanceKit kit, Issuer issuer, ManifestScan scan, Ledger ledger,
                             BundleWriter bundles, Clock clock) {
        this(run, kit, issuer, scan, ledger, bundles, clock, Optional.empty());
    }

    /** @param lint run on every parsed device before its key is made; a device with errors is rejected, never signed */
    public DeviceProvisioner(RunIdentity run, IssuanceKit kit, Issuer issuer, ManifestScan scan, Ledger ledger,
                             BundleWriter bundles, Clock clock, Optional<DeviceLinter> lint) {
        this(run, kit, issuer, scan, ledger, bundles, clock, lint, ConcurrentHashMap.newKeySet());
    }

    /**
     * @param csrKeys the CSR public keys (SHA-256 of the SubjectPublicKeyInfo) of chunks not yet committed, shared
     *                by every partition, so two devices of one run cannot be certified for the same key; keys of
     *                committed chunks are in the ledger instead (see {@link #chunkEnded()})
     */
    public DeviceProvisioner(RunIdentity run, IssuanceKit kit, Issuer issuer, ManifestScan scan, Ledger ledger,
                             BundleWriter bundles, Clock clock, Optional<DeviceLinter> lint, Set<String> csrKeys) {
        this.run = run;
        this.lint = lint;
        this.kit = kit;
        this.issuer = issuer;
        this.parser = new DeviceSpecParser(true);
        this.scan = scan;
        this.ledger = ledger;
        this.bundles = bundles;
        this.clock = clock;
        // Within one run a device is never read twice (a restart resumes after the committed chunks), so only
        // devices issued by earlier runs into the same output can be in the ledger. Outputs are locked to one
        // process, so if there are none now there will be none during this run: skip a query per device.
        this.outputHasEarlierRuns = ledger.identities().countIssuedByOtherRuns(run.outputId(), run.jobInstanceId()) > 0;
        this.csrKeys = csrKeys;
        this.sha256 = Sha256.newDigest();
    }

    /**
     * @return the outcome, or empty when the output already holds an identity for the device (nothing to do)
     */
    public Optional<IssueOutcome> provision(ManifestRecord record) {
        // The JSON log names the device of every event logged while it is issued (JsonLogFormatter).
        MDC.put(JsonLogFormatter.DEVICE_ID, record.rawDeviceId());
        try {
            return provisionDevice(record);
        } finally {
            MDC.remove(JsonLogFormatter.DEVICE_ID);
        }
    }

    private Optional<IssueOutcome> provisionDevice(ManifestRecord record) {
        DeviceSpec spec;
        Long firstLine = scan.firstLineOfDuplicate(record.index());
        if (firstLine != null) {
            InvalidDeviceException e = new InvalidDeviceException(record.line(), record.rawDeviceId(), "device_id '"
                    + record.rawDeviceId() + "' already appears on line " + firstLine
                    + "; each device may appear once in a manifest");
            return Optional.of(reject(record, e.deviceId(), RejectCodes.DUPLICATE_DEVICE, e.reason()));
        }
        try {
            spec = parser.parse(record);
        } catch (InvalidDeviceException e) {
            return Optional.of(reject(record, e.deviceId(), RejectCodes.INVALID_ROW, e.reason()));
        }
        if (lint.isPresent()) {
            LintedDevice linted = lint.get().check(spec, Optional.ofNullable(record.fields().get(ManifestColumns.SUBJECT)));
            if (linted.hasErrors()) {
                return Optional.of(reject(record, spec.deviceId(), RejectCodes.TEMPLATE_LINT, linted.rejectionReason()));
            }
            spec = linted.spec().orElseThrow();
        }

        Optional<LedgerEntry> existing = outputHasEarlierRuns
                ? ledger.identities().find(run.outputId(), spec.deviceId()) : Optional.empty();
        if (existing.isPresent()) {
            // One identity per device per output: an earlier run already issued it, so this row is done.
            return Optional.empty();
        }

        KeyMaterial material;
        if (spec.csr().isPresent()) {
            Optional<String> refusal = Optional.empty();
            DeviceCsr csr = null;
            try {
                csr = DeviceCsr.parse(spec.csr().get());
            } catch (InvalidCsrException e) {
                refusal = Optional.of(e.getMessage());
            }
            if (csr != null) {
                refusal = checkCsr(spec, csr);
            }
            if (refusal.isPresent()) {
                return Optional.of(reject(record, spec.deviceId(), RejectCodes.CSR_REFUSED, refusal.get()));
            }
            if (kit.profile().csrSubject() == CertificateProfile.CsrSubject.CSR) {
                try {
                    spec = spec.withSubject(csr.subject());
                } catch (InvalidSubjectException e) {
                    return Optional.of(reject(record, spec.deviceId(), RejectCodes.CSR_SUBJECT, "the csr's subject: " + e.getMessage()));
                }
            }
            material = new KeyMaterial(csr.algorithm(), csr.publicKey(), null, KeyLocation.DEVICE,
                    Optional.empty());
        } else {
            KeyAlgorithm algorithm = spec.key().or(kit::defaultKey).orElse(kit.profile().defaultKeyAlgorithm());
            if (!kit.profile().allowedKeyAlgorithms().contains(algorithm)) {
                return Optional.of(reject(record, spec.deviceId(), RejectCodes.KEY_NOT_ALLOWED, "key '" + algorithm.id()
                        + "' is not allowed by the certificate profile; allowed: " + allowedKeys()));
            }
            DeviceKey key;
            try {
                long started = System.nanoTime();
                key = kit.keySource().keyFor(spec.deviceId(), algorithm);
                IssueTimings.KEY_GENERATION.add(System.nanoTime() - started);
            } catch (TokenKeyConflictException e) {
                return Optional.of(reject(record, spec.deviceId(), RejectCodes.TOKEN_KEY_CONFLICT, e.getMessage()));
            }
            material = new KeyMaterial(algorithm, key.publicKey(), key.privateKey(), key.location(), key.reference());
        }

        IssuedCertificate certificate;
        try {
            long started = System.nanoTime();
            certificate = issuer.issue(new IssuanceRequest(spec.subject(), spec.altNames(), material.publicKey()));
            IssueTimings.SIGNING.add(System.nanoTime() - started);
        } catch (IssuanceException e) {
            return Optional.of(reject(record, spec.deviceId(), RejectCodes.NOT_ISSUABLE, e.getMessage()));
        }
        if (material.location() == KeyLocation.DEVICE) {
            // Last, so that nothing after it can reject the device: the claim then stands or falls with the chunk.
            String keyHash = hex(material.publicKey().getEncoded());
            if (!ledger.identities().claimDeviceMadeKey(keyHash, run.outputId(), spec.deviceId())) {
                return Optional.of(reject(record, spec.deviceId(), RejectCodes.CSR_REFUSED, "the csr's public key "
                        + "already has a certificate in the ledger (device "
                        + ledger.identities().deviceWithPublicKey(keyHash).orElse("?") + ", certified "
                        + "meanwhile by another partition): each device needs its own key; have the device make a new "
                        + "key pair and CSR"));
            }
        }
        WrittenBundle written;
        try {
            written = bundles.write(new DeviceBundle(spec.deviceId(), certificate.der(), material.privateKey(),
                    kit.ca().chain(), material.reference()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bundle of " + spec.deviceId() + ": " + e.getMessage(), e);
        }
        Instant now = clock.instant();
        return Optional.of(new IssueOutcome.Issued(new LedgerEntry(run.outputId(), spec.deviceId(), run.jobInstanceId(),
                run.jobExecutionId(), record.index(), record.line(), spec.thingName(), certificate.certificateId(),
                certificate.serialHex(), hex(material.publicKey().getEncoded()),
                certificate.notBefore(), certificate.notAfter(),
                material.algorithm().id(), material.location().name(), written.bundlePath(), sums(written),
                LedgerEntry.IdentityStatus.ISSUED, now, Optional.of(new RegistrationInput(certificate.der(),
                        spec.thingType(), spec.thingGroups(), spec.attributes(), spec.accounts())))));
    }

    /**
     * Why a device's CSR cannot be certified, if it cannot: a key type the profile does not allow, or a public key
     * another device already has (in this run, or in the ledger) — two devices sharing a key are one device twice,
     * or a cloned secure element.
     */
    private Optional<String> checkCsr(DeviceSpec spec, DeviceCsr csr) {
        if (!kit.profile().allowedKeyAlgorithms().contains(csr.algorithm())) {
            return Optional.of("the csr's key is " + csr.algorithm().id() + ", which the certificate profile does not "
                    + "allow; allowed: " + allowedKeys());
        }
        String keyHash = hex(csr.publicKeyInfo());
        if (!csrKeys.add(keyHash)) {
            return Optional.of("the csr's public key is the same as another device's in this run: each device needs "
                    + "its own key (a duplicated row, or a cloned secure element?)");
        }
        chunkCsrKeys.add(keyHash);
        Optional<String> holder = ledger.identities().deviceWithPublicKey(keyHash);
        if (holder.isPresent()) {
            return Optional.of("the csr's public key already has a certificate in the ledger (device " + holder.get()
                    + "): each device needs its own key; have the device make a new key pair and CSR");
        }
        return Optional.empty();
    }

    private List<String> allowedKeys() {
        return kit.profile().allowedKeyAlgorithms().stream().map(KeyAlgorithm::id).sorted().toList();
    }

    /**
     * Where the device's key comes from: made here (private key in the bundle), made in a token (kept there or
     * wrapped: {@code reference}) or on the device (CSR).
     */
    private record KeyMaterial(KeyAlgorithm algorithm, PublicKey publicKey, PrivateKey privateKey,
                               KeyLocation location, Optional<KeyReference> reference) {

        @Override
        public String toString() {
            return "KeyMaterial[" + algorithm.id() + ", " + location + "]";
        }
    }

    /**
     * Ends a chunk's writing, inside its transaction, before it commits: writes the output manifest's rows of the
     * chunk's identities ({@link ManifestRowsWriter}), makes them and every bundle this provisioner wrote durable with
     * one sync, and records the chunk archives that published and the rows' file in the ledger.
     *
     * @param issued the chunk's identities
     */
    public void makeDurable(List<LedgerEntry> issued) {
        try {
            Optional<ManifestRowsWriter.Published> rows = manifestRows().write(issued);
            if (rows.isPresent()) {
                bundles.makeDurableWith(rows.get().file());
            }
            List<BundleFile> archives = bundles.makeDurable();
            if (!archives.isEmpty()) {
                ledger.archives().recordArchives(run.outputId(), run.jobExecutionId(),
                        archives.stream().map(a -> new ArchiveRecord(a.path(), a.sha256(), a.size())).toList(),
                        clock.instant());
            }
            rows.ifPresent(r -> ledger.manifestChunks().recordManifestChunk(run.outputId(), run.jobExecutionId(), r.chunk()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the chunk's bundles durable: " + e.getMessage(), e);
        }
    }

    private ManifestRowsWriter manifestRows() throws IOException {
        if (manifestRows == null) {
            manifestRows = new ManifestRowsWriter(kit.bundleOptions().outputDirectory());
        }
        return manifestRows;
    }

    /**
     * Called once the chunk's transaction has ended, committed or rolled back. Its CSR keys leave the shared set:
     * committed, they are in the ledger, where {@link #checkCsr} finds them; rolled back, nobody was certified for
     * them. So the set holds at most the chunks in flight, not every key of the run: a million 64-character hex
     * digests in a concurrent set take 145 MB (measured), more than half of a 256 MB heap.
     */
    public void chunkEnded() {
        chunkCsrKeys.forEach(csrKeys::remove);
        chunkCsrKeys.clear();
    }

    private IssueOutcome reject(ManifestRecord record, String deviceId, String code, String reason) {
        // One line per rejected row: the JSON log (--log-format json) carries the device's id with it.
        LOG.info("rejected line {} ({}): {}", record.line(), code, reason);
        return new IssueOutcome.Rejected(new Rejection(run.outputId(), run.jobInstanceId(), record.index(), record.line(),
                deviceId, reason, clock.instant(), code));
    }

    private String hex(byte[] data) {
        return HexFormat.of().formatHex(sha256.digest(data));
    }

    /**
     * The bundle's files in {@code sha256sum} format, for SHA256SUMS; none for a bundle in a chunk's archive. SHA256SUMS
     * lists the archive (its digest is in bundle_archive), and nothing reads the sums of the files inside it: they were
     * half the characters of every identity row, which H2 writes a character at a time, twice (insert, commit).
     */
    private static String sums(WrittenBundle written) {
        if (written.inArchive()) {
            return "";
        }
        StringBuilder sums = new StringBuilder(256);
        for (BundleFile file : written.files()) {
            sums.append(file.sha256()).append("  ").append(file.path()).append('\n');
        }
        return sums.toString();
    }
}
