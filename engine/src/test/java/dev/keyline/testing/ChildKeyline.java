package dev.keyline.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        return start(log, jvmOptions, Map.of(), args);
    }

    /** As {@link #start(Path, List, String...)}, with variables added to the child's environment (secrets). */
    public static ChildKeyline start(Path log, List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.keyline.cli.Keyline"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new ChildKeyline(process, log);
    }

    public Process process() {
        return process;
    }

    /** What it printed so far. */
    public String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGSTOP: the process stops running, its clocks go on (as a machine that hangs, or a long pause). */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT, after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " exited " + exit);
        }
    }

    /** SIGKILL. */
    public void kill() {
        process.destroyForcibly();
    }

    public boolean alive() {
        return process.isAlive();
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
