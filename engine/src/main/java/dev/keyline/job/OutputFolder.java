package dev.keyline.job;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import dev.keyline.error.InvalidSettingException;

/**
 * A run's output folder and its private {@code .keyline/} area: the output's id (which scopes the ledger), the
 * database it uses, the log, and a lock that keeps two processes from writing the same output.
 */
public final class OutputFolder implements AutoCloseable {

    private static final String STATE = ".keyline";
    private static final String SETTINGS = "output.properties";
    private static final String CA_SUBJECT = "ca-subject";
    private static final String CA_SHA256 = "ca-sha256";

    private final Path out;
    private final Path state;
    private final Properties settings = new Properties();
    private FileChannel lockChannel;
    private FileLock lock;

    private OutputFolder(Path out) {
        this.out = out.toAbsolutePath().normalize();
        this.state = this.out.resolve(STATE);
    }

    /** Creates the folder if needed and checks it can be written. */
    public static OutputFolder create(Path out) {
        OutputFolder folder = new OutputFolder(out);
        try {
            Files.createDirectories(folder.out);
            if (!Files.isDirectory(folder.state)) {
                Files.createDirectory(folder.state, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Path probe = Files.createTempFile(folder.state, "probe", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new InvalidSettingException("--out", "cannot use the output folder " + folder.out + ": "
                    + FolderDiagnosis.explain(folder.state, e));
        }
        folder.load();
        if (folder.settings.getProperty("output-id") == null) {
            folder.settings.setProperty("output-id", UUID.randomUUID().toString());
            folder.save();
        }
        return folder;
    }

    /** An output an earlier run made. */
    public static OutputFolder existing(Path out) {
        OutputFolder folder = new OutputFolder(out);
        if (!Files.isRegularFile(folder.state.resolve(SETTINGS))) {
            throw new InvalidSettingException("--out", "no Keyline output at " + folder.out + ": run `keyline run MANIFEST --ca DIR --out "
                    + out + "` first");
        }
        folder.load();
        return folder;
    }

    public Path path() {
        return out;
    }

    public Path logFile() {
        return state.resolve("keyline.log");
    }

    public String outputId() {
        return settings.getProperty("output-id");
    }

    /**
     * The database of this output: {@code --db} when given (remembered for status and restart), else the one
     * remembered, else H2 inside the output.
     */
    public Database database(Optional<String> dbUrl) {
        Optional<String> remembered = Optional.ofNullable(settings.getProperty("db"));
        if (dbUrl.isPresent() && remembered.isPresent() && !dbUrl.get().equals(remembered.get())) {
            throw new InvalidSettingException("--db", "this output's ledger is in " + remembered.get() + ", not " + dbUrl.get()
                    + ": use the same --db, or a new --out");
        }
        Optional<String> url = dbUrl.or(() -> remembered);
        if (url.isEmpty()) {
            return Database.embedded(out);
        }
        if (dbUrl.isPresent() && remembered.isEmpty()) {
            if (url.get().toLowerCase(java.util.Locale.ROOT).contains("password=")) {
                throw new InvalidSettingException("--db", "--db must not carry a password; put it in the environment variable "
                        + "KEYLINE_DB_PASSWORD instead");
            }
            settings.setProperty("db", url.get());
            save();
        }
        return Database.of(url.get());
    }

    /**
     * Binds this output to the CA that is about to sign into it, or refuses another CA: an output holds the devices of
     * one CA. The first run records the CA; an output made before outputs recorded it is bound to the CA of its runs
     * ({@code ofEarlierRuns}: the certificate in the CA folder its newest run used), else to this one.
     *
     * @throws OutputCaMismatchException naming both CAs and the fix, when the output belongs to another CA
     */
    void requireCa(OutputCa signing, java.util.function.Supplier<Optional<OutputCa>> ofEarlierRuns) {
        Optional<OutputCa> recorded = Optional.ofNullable(settings.getProperty(CA_SHA256))
                .map(sha256 -> new OutputCa(settings.getProperty(CA_SUBJECT, "?"), sha256));
        OutputCa bound = recorded.or(ofEarlierRuns).orElse(signing);
        if (!bound.sha256().equals(signing.sha256())) {
            throw new OutputCaMismatchException(out, bound, signing);
        }
        if (recorded.isEmpty()) {
            settings.setProperty(CA_SUBJECT, signing.subject());
            settings.setProperty(CA_SHA256, signing.sha256());
            save();
        }
    }

    /** Takes the output's lock, or says which process holds it. */
    public void lock() {
        try {
            lockChannel = FileChannel.open(state.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new OutputInUseException(out);
        }
    }

    /** Whether a keyline process holds this output now (without taking the lock for long). */
    public boolean inUse() {
        try (FileChannel channel = FileChannel.open(state.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void load() {
        Path file = state.resolve(SETTINGS);
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                settings.load(in);
            } catch (IOException e) {
                throw new InvalidSettingException("--out", "cannot read " + file + ": " + e.getMessage());
            }
        }
    }

    private void save() {
        Path file = state.resolve(SETTINGS);
        try (Writer w = Files.newBufferedWriter(file)) {
            settings.store(w, "Keyline output settings; the ledger is scoped by output-id");
        } catch (IOException e) {
            throw new InvalidSettingException("--out", "cannot write " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }
}
