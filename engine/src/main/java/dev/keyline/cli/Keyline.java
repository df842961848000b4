package dev.keyline.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Optional;

import dev.keyline.job.ProcessCommand;
import dev.keyline.text.InertPrintStream;
import dev.keyline.text.InertText;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code keyline} command. */
@Command(name = "keyline", mixinStandardHelpOptions = true, version = "keyline 0.1.0",
        description = "Batch provisioning of IoT device identities: keys, X.509 certificates, bundles, ledger.",
        subcommands = {CaCommand.class, RunCommand.class, StatusCommand.class, RestartCommand.class, KeyPoolCommand.class, LintCommand.class,
                DoctorCommand.class, RegisterCommand.class, DeregisterCommand.class, ReportCommand.class, WorkerCommand.class})
public final class Keyline implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: ca, run, register, deregister, status, report, restart, keypool, lint or doctor");
    }

    public static void main(String[] args) {
        // H2 looks every string it reads or writes up in a shared cache of values, to share equal ones; ledger
        // strings (device ids, digests) are all different, so the lookup is pure cost: without it the export of
        // 1,000,000 rows took 15-25% less time (whole runs moved within the noise; benchmarks/README.md). Read
        // once, when H2 first loads: set before any use.
        if (System.getProperty("h2.objectCache") == null) {
            System.setProperty("h2.objectCache", "false");
        }
        // The launcher's training run starts the way every command starts (java -jar, the jar's manifest and
        // options), so that the archive it leaves matches the commands that use it: StartupTraining.
        String training = System.getProperty(StartupTraining.PROPERTY);
        if (training != null) {
            System.exit(StartupTraining.train(java.nio.file.Path.of(training)) ? 0 : 1);
        }
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        System.setProperty("keyline.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        ProcessCommand.set("keyline", java.util.List.of(args)); // the run report shows it
        CommandLine cli = new CommandLine(new Keyline());
        cli.setExitCodeExceptionMapper(new ErrorKinds());
        cli.setExecutionExceptionHandler(Keyline::handle);
        cli.setParameterExceptionHandler(Keyline::handleParameters);
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
            LogFormatOptions.reset();
            System.out.flush();
            System.err.flush();
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static int handleParameters(CommandLine.ParameterException ex, String[] args) {
        PrintWriter err = ex.getCommandLine().getErr();
        err.println("keyline: " + InertText.of(ex.getMessage()));
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
            unmatched.getUnmatched().stream().map(a -> secretHint(a, ex.getCommandLine())).flatMap(Optional::stream)
                    .distinct().forEach(hint -> err.println("  " + hint));
        }
        err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        return ExitCodes.USAGE;
    }

    private static Optional<String> secretHint(String argument, CommandLine command) {
        return SecretArguments.hint(argument, command.getCommandSpec().optionsMap().keySet());
    }

    /**
     * The exit code follows the exception's kind ({@link ErrorKinds}); the message is one line for a person: the
     * problem and the fix for a configuration error or a refused input, the cause and where the details are for a
     * failure.
     */
    private static int handle(Exception ex, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        int code = cli.getExitCodeExceptionMapper().getExitCode(ex);
        // A configuration error may list several refusals, a line each: those line feeds are Keyline's.
        String message = Failures.describe(ex);
        err.println("keyline: " + (code == ExitCodes.USAGE ? InertText.keepingLineFeeds(message) : InertText.of(message)));
        if (ex instanceof UnknownArgumentException unknown) {
            secretHint(unknown.argument(), cli).ifPresent(hint -> err.println("  " + hint));
        }
        if (code != ExitCodes.USAGE) {
            err.println("  (details in the log file, if the run got that far: OUT/.keyline/keyline.log)");
        }
        return code;
    }
}
