package dev.keyline.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

import dev.keyline.job.Database;
import dev.keyline.job.OutputFolder;
import dev.keyline.job.Provisioning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keyline report}: (re)write an output's report.html from its ledger and job repository. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write OUT/report.html again from the ledger and the job repository: the summary, devices per "
                + "second over the run's time, rejects by reason, registration per target and operation, and for a "
                + "failed run the failure and the restart command. One file that loads nothing from the network.",
                "run, restart and register write it at their end; this rebuilds it, for any execution, also for outputs "
                        + "made before the report existed (their chart and AWS call figures were not recorded).",
                "Exit codes: 0 written, 1 it could not be written, 2 no such output or execution."})
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the output folder")
    Path out;

    @Option(names = "--execution", paramLabel = "ID",
            description = "the execution to report (keyline status lists them; default: the newest, run or register)")
    Long execution;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "the database the runs used, if not the one remembered")
    String db;

    @Override
    public Integer call() {
        try (OutputFolder folder = OutputFolder.existing(out)) {
            // Opened for writing (unlike status): an output made before the report gets the ledger's new tables, empty.
            Database database = folder.database(Optional.ofNullable(db));
            try (Provisioning provisioning = Provisioning.open(database, folder.logFile(), 1)) {
                Optional<Path> written = provisioning.writeReport(folder.path(),
                        execution == null ? OptionalLong.empty() : OptionalLong.of(execution));
                if (written.isEmpty()) {
                    throw new UsageException(execution == null ? "no execution in " + folder.path() + " to report"
                            : "execution " + execution + " did not write into " + folder.path()
                                    + ": keyline status --out " + folder.path() + " lists its executions");
                }
                System.out.println("Wrote " + written.get());
                return ExitCodes.OK;
            }
        }
    }
}
