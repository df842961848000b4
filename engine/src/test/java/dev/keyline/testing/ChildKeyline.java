package dev.keyline.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code keyline} in a child JVM on the test class path, for what only a real process shows: signals, kills. */
public final class ChildKeyline {

    private final Process process;
    private final Path log;

    private ChildKeyline(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code keyline ARGS...}; stdout and stderr go to {@code log}. */
    public static ChildKeyline start(Path log, String... args) throws IOException {
        return start(log, List.of(), args);
    }

    /** As {@link #start(Path, String...)}, with options for the child JVM ({@code -Dname=value}, {@code -XX:...}). */
    public static ChildKeyline start(Path log, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.keyline.cli.Keyline"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildKeyline(process, log);
    }

    public Process process() {
        return process;
    }

    /** What it printed so far. */
    public String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM (on Linux, {@link Process#destroy()} sends it). */
    public void terminate() {
        process.destroy();
    }

    /** Its exit code, once it ends within the deadline. */
    public int awaitExit(long seconds) throws InterruptedException, IOException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("keyline did not end within " + seconds + " s; it printed:\n" + output());
        }
        return process.exitValue();
    }
}
