package dev.keyline.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run behind the launcher's start-up archive (docs/startup.md): the commands a user types most, on a
 * throw-away CA and a small manifest, in one JVM, so that the JVM records the classes they load (an AppCDS class
 * list on JDK 17, an AOT cache with profiles on JDK 24+) and later commands start from that archive.
 *
 * <p>Everything happens under the folder the launcher names in {@value #PROPERTY}, which the launcher deletes afterwards; the
 * training's CA passphrase is a random one in a 0600 file there, never an argument. What the commands print goes
 * nowhere: the launcher shows only whether the training worked.
 */
public final class StartupTraining {

    /** Enough devices for the issuing path to load every class it needs, few enough to take seconds. */
    static final int DEVICES = 400;

    /** Set to an empty folder, {@code java -jar} runs the training there instead of a command ({@link Keyline#main}). */
    static final String PROPERTY = "keyline.startup-training";

    private StartupTraining() {
    }

    /** Runs the commands; returns whether every one of them exited 0. */
    static boolean train(Path dir) {
        List<String[]> commands = commands(prepare(dir));
        PrintStream out = System.out;
        PrintStream err = System.err;
        List<String> failures = new ArrayList<>();
        try (PrintStream nowhere = new PrintStream(PrintStream.nullOutputStream(), false, StandardCharsets.UTF_8)) {
            System.setOut(nowhere);
            System.setErr(nowhere);
            for (String[] command : commands) {
                int code = Keyline.execute(command);
                if (code != 0) {
                    failures.add(String.join(" ", command) + " -> exit " + code);
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        failures.forEach(f -> err.println("keyline: start-up training: " + f));
        return failures.isEmpty();
    }

    private record Inputs(Path dir, Path manifest, Path passphrase) {
    }

    private static Inputs prepare(Path dir) {
        try {
            Files.createDirectories(dir);
            Path passphrase = dir.resolve("passphrase");
            Files.writeString(passphrase, java.util.UUID.randomUUID().toString(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));
            Path manifest = dir.resolve("manifest.csv");
            StringBuilder rows = new StringBuilder("device_id,organization,country\n");
            for (int i = 0; i < DEVICES; i++) {
                rows.append(String.format("train-%05d,Acme,US%n", i));
            }
            Files.writeString(manifest, rows, StandardCharsets.UTF_8);
            return new Inputs(dir, manifest, passphrase);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commands, in the order a user meets them: lint, the CA, a run per bundle layout, status, report. */
    private static List<String[]> commands(Inputs in) {
        String ca = in.dir().resolve("ca").toString();
        String pass = in.passphrase().toString();
        String manifest = in.manifest().toString();
        String dirOut = in.dir().resolve("out-dir").toString();
        String archiveOut = in.dir().resolve("out-archive").toString();
        return List.of(
                new String[] {"lint", manifest},
                new String[] {"ca", "init", "--subject", "CN=Start-up Training CA,O=Keyline,C=US", "--key", "ec-p256",
                        "--out", ca, "--passphrase-file", pass},
                new String[] {"run", manifest, "--ca", ca, "--out", dirOut, "--passphrase-file", pass, "--no-progress"},
                new String[] {"run", manifest, "--ca", ca, "--out", archiveOut, "--passphrase-file", pass,
                        "--bundle-layout", "archive", "--no-progress"},
                new String[] {"status", "--out", dirOut},
                new String[] {"status", "--out", archiveOut, "--format", "json"});
    }
}
