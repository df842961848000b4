package dev.keyline.job;

/**
 * Names of the {@code provision} job's parameters. The identifying ones (manifest, its SHA-256, output) make a
 * job instance: the same unchanged manifest into the same output resumes; a changed manifest starts a new run,
 * which skips the devices the output already holds. Secrets are never parameters. {@link RunSettings} says what each
 * run parameter holds, and how.
 */
public final class JobParameterNames {

    public static final String JOB = "provision";
    /** The issue step's partitions: each runs a step of this name, its executions named {@code issue-worker:partitionNNN}. */
    public static final String ISSUE_WORKER = "issue-worker";

    public static final String MANIFEST = "manifest";
    public static final String MANIFEST_SHA256 = "manifest-sha256";
    public static final String OUT = "out";

    public static final String FORMAT = "format";
    public static final String OUTPUT_ID = "output-id";
    public static final String THREADS = "threads";
    public static final String CHUNK_SIZE = "chunk-size";
    public static final String SKIP_LIMIT = "skip-limit";
    public static final String KEY = "key";
    public static final String PROFILE = "profile";
    public static final String CA = "ca";
    public static final String PKCS12 = "pkcs12";
    public static final String CRYPTO_PROVIDER = "crypto-provider";
    public static final String KEY_POOL = "key-pool";
    /** Where device keys are made: software or hsm ({@code --keys}). */
    public static final String KEYS = "keys";
    /** The HSM configuration file device keys are made in ({@code --hsm}); empty: the CA's, or none. */
    public static final String HSM = "hsm";
    /** Where the issue step's partitions run: {@code local}, or {@code remote} with the broker, queue and limits. */
    public static final String WORKERS = "workers";
    public static final String BUNDLE_LAYOUT = "bundle-layout";
    /** The provisioning template every device is linted against before signing; empty: none. */
    public static final String TEMPLATE = "template";
    /** Whether a host-name or IP CN is copied into the SAN ({@code --cn-to-san}). */
    public static final String CN_TO_SAN = "cn-to-san";

    /** The job that only registers an output's identities ({@code keyline register}): register, then export. */
    public static final String REGISTER_JOB = "register";
    /**
     * The job that takes an output's registrations back ({@code keyline deregister}): deregister, then export. Its
     * parameters are a {@link RegistrationRun}'s (which targets, their configuration, the CA): what to take back and
     * how (deregister or revoke, the reason) is marked in the ledger, per (device, target), before it starts.
     */
    public static final String DEREGISTER_JOB = "deregister";
    /** Identifying for the register job: each {@code keyline register} that does not resume is a new instance. */
    public static final String REGISTER_RUN = "register-run";
    /** Target names to register with, comma-separated; empty: no registration. */
    public static final String REGISTER_TARGETS = "register-targets";
    /** The targets' YAML configuration file; empty: none. */
    public static final String REGISTER_CONFIG = "register-config";
    /** {@code keyline.targets.<name>.<key>=value} settings from the command line, one per line. */
    public static final String REGISTER_SETTINGS = "register-settings";
    public static final String REGISTER_THREADS = "register-threads";

    /** Job execution context keys written by the scan step. */
    public static final String ROWS = "rows";
    public static final String DUPLICATES = "duplicates";

    private JobParameterNames() {
    }
}
