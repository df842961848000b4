package dev.keyline.cli;

import java.io.PrintStream;
import java.io.PrintWriter;

import dev.keyline.aws.InvalidTargetException;
import dev.keyline.bundle.BundleWriteException;
import dev.keyline.ca.CaException;
import dev.keyline.device.ManifestException;
import dev.keyline.text.InertPrintStream;
import dev.keyline.text.InertText;
import dev.keyline.x509.InvalidSubjectException;
import dev.keyline.x509.ProfileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code keyline} command. */
@Command(name = "keyline", mixinStandardHelpOptions = true, version = "keyline 0.1.0",
        description = "Batch provisioning of IoT device identities: keys, X.509 certificates, bundles, ledger.",
        subcommands = {CaCommand.class, RunCommand.class, StatusCommand.class, RestartCommand.class, KeyPoolCommand.class, LintCommand.class,
                DoctorCommand.class, RegisterCommand.class})
public final class Keyline implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: ca, run, register, status, restart, keypool, lint or doctor");
    }

    public static void main(String[] args) {
        // H2 looks every string it reads or writes up in a shared cache of values, to share equal ones; ledger
        // strings (device ids, digests) are all different, so the lookup is pure cost: without it the export of
        // 1,000,000 rows took 15-25% less time (whole runs moved within the noise; benchmarks/README.md). Read
        // once, when H2 first loads: set before any use.
        if (System.getProperty("h2.objectCache") == null) {
            System.setProperty("h2.objectCache", "false");
        }
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        System.setProperty("keyline.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        CommandLine cli = new CommandLine(new Keyline());
        cli.setExecutionExceptionHandler(Keyline::handle);
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("keyline: " + InertText.of(ex.getMessage()));
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        // Everything the commands print on the console is made inert here, once: messages quote manifest values,
        // certificate subjects and AWS answers (picocli's own writers, used for help and by lint and doctor, are not
        // these streams: their reports and the handlers below escape what they print).
        PrintStream out = System.out;
        PrintStream err = System.err;
        // Once: a command started while another runs in this JVM (tests do) finds the streams already inert.
        System.setOut(InertPrintStream.over(out));
        System.setErr(InertPrintStream.over(err));
        try {
            return cli.execute(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Configuration problems are exit code 2 with one clear line; anything else is a failed run, exit 1. */
    private static int handle(Exception ex, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (isConfigurationError(ex)) {
            // A configuration error may list several refusals, a line each: those line feeds are Keyline's.
            err.println("keyline: " + InertText.keepingLineFeeds(ex.getMessage()));
            return ExitCodes.USAGE;
        }
        err.println("keyline: " + InertText.of(Failures.describe(ex)));
        err.println("  (details in the log file, if the run got that far: OUT/.keyline/keyline.log)");
        return ExitCodes.FAILED;
    }

    static boolean isConfigurationError(Throwable ex) {
        return ex instanceof UsageException || ex instanceof dev.keyline.keys.KeyPoolException || ex instanceof CaException || ex instanceof ManifestException
                || ex instanceof ProfileException || ex instanceof InvalidSubjectException
                || ex instanceof BundleWriteException || ex instanceof IllegalArgumentException
                || ex instanceof InvalidTargetException;
    }
}
