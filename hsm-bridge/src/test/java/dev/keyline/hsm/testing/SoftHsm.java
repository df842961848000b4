package dev.keyline.hsm.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real SoftHSM2 with fresh tokens for the tests of one JVM.
 *
 * <p>SoftHSM reads {@code SOFTHSM2_CONF} from the environment when the module is initialised, so the build
 * sets that variable for the test JVM (surefire {@code environmentVariables}) to a path under target/; this
 * fixture writes the file there, pointing at a new token folder, and initialises every token the tests use
 * before any test loads the module (tokens made after C_Initialize might not be seen). Missing SoftHSM is a
 * failure that says how to install it, never a skip.
 */
public final class SoftHsm {

    public static final Path MODULE = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    /** The general-purpose token. */
    public static final String TOKEN = "keyline-test";
    /** A second token for tests that log in with a wrong PIN. */
    public static final String OTHER_TOKEN = "keyline-other";
    public static final String USER_PIN = "4711-user";
    public static final String SO_PIN = "4711-so-pin";

    private static SoftHsm instance;

    private final Path conf;

    private SoftHsm(Path conf) {
        this.conf = conf;
    }

    /** The SoftHSM of this JVM, set up on first use. */
    public static synchronized SoftHsm get() {
        if (instance == null) {
            instance = setUp();
        }
        return instance;
    }

    public Path conf() {
        return conf;
    }

    /**
     * Writes an HSM configuration file for Keyline into {@code dir}.
     *
     * @param selector e.g. {@code "token-label: keyline-test"}
     * @param pin      the PIN to put in a pin-file next to it, or null for none
     */
    public static Path writeConfig(Path dir, String name, String selector, String pin) throws IOException {
        StringBuilder text = new StringBuilder("library: " + MODULE + "\n" + selector + "\n");
        if (pin != null) {
            Path pinFile = dir.resolve(name + ".pin");
            Files.writeString(pinFile, pin + "\n", StandardCharsets.UTF_8);
            text.append("pin-file: ").append(pinFile.getFileName()).append('\n');
        }
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** Runs pkcs11-tool (OpenSC) against the test token: an independent reader of object attributes. */
    public static String pkcs11Tool(String token, String... args) {
        List<String> command = new ArrayList<>(List.of("pkcs11-tool", "--module", MODULE.toString(), "--token-label",
                token, "--login", "--pin", USER_PIN));
        command.addAll(List.of(args));
        return run(command);
    }

    /**
     * One object as {@code pkcs11-tool --list-objects} prints it (OpenSC 0.23 lists every object whatever
     * {@code --label} says, so tests filter here).
     *
     * @param kind   e.g. {@code Private Key Object; EC}, {@code Public Key Object; RSA 2048 bits}
     * @param label  CKA_LABEL
     * @param id     CKA_ID in hex, empty if none
     * @param usage  the usage line, e.g. {@code sign}
     * @param access the access line, e.g. {@code sensitive, always sensitive, never extractable, local}
     */
    public record ListedObject(String kind, String label, String id, String usage, String access) {
        public boolean isPrivateKey() {
            return kind.startsWith("Private Key Object");
        }

        public boolean isPublicKey() {
            return kind.startsWith("Public Key Object");
        }
    }

    /** Every object of {@code token} as pkcs11-tool reads it, logged in as the user. */
    public static List<ListedObject> listObjects(String token) {
        List<ListedObject> objects = new ArrayList<>();
        String kind = null;
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        // stderr apart: pkcs11-tool warns there (CKR_ATTRIBUTE_SENSITIVE) in the middle of stdout's lines
        List<String> command = new ArrayList<>(List.of("pkcs11-tool", "--module", MODULE.toString(), "--token-label",
                token, "--login", "--pin", USER_PIN, "--list-objects"));
        for (String line : (run(command, false) + "\nEnd Object").split("\n")) {
            if (line.isBlank() || line.startsWith("warning:") || line.startsWith("Using slot")) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                if (kind != null) {
                    objects.add(new ListedObject(kind, fields.getOrDefault("label", ""), fields.getOrDefault("ID", ""),
                            fields.getOrDefault("Usage", ""), fields.getOrDefault("Access", "")));
                }
                kind = line.strip();
                fields.clear();
            } else {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
            }
        }
        return objects;
    }

    private static SoftHsm setUp() {
        String confSetting = System.getenv("SOFTHSM2_CONF");
        if (confSetting == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set for this JVM: run the HSM tests through Maven "
                    + "(the surefire configuration sets it), or export it to a writable path first");
        }
        if (!Files.isRegularFile(MODULE)) {
            throw new IllegalStateException("SoftHSM2 is not installed (" + MODULE + " is missing): "
                    + "apt-get install -y softhsm2 opensc  (.ci/run does this)");
        }
        Path conf = Path.of(confSetting).toAbsolutePath();
        try {
            Path tokens = conf.getParent().resolve("tokens");
            if (Files.exists(tokens)) {
                try (Stream<Path> old = Files.walk(tokens)) {
                    for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(tokens);
            Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n"
                    + "slots.removable = false\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the SoftHSM configuration " + conf + ": " + e.getMessage(), e);
        }
        for (String label : List.of(TOKEN, OTHER_TOKEN)) {
            run(List.of("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SO_PIN, "--pin", USER_PIN));
        }
        return new SoftHsm(conf);
    }

    private static String run(List<String> command) {
        return run(command, true);
    }

    private static String run(List<String> command, boolean withStderr) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (withStderr) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            }
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(command.get(0) + " cannot run (" + e.getMessage()
                    + "): SoftHSM2 and OpenSC must be installed: apt-get install -y softhsm2 opensc", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
