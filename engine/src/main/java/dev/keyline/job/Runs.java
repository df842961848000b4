package dev.keyline.job;

import dev.keyline.error.InvalidSettingException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import dev.keyline.device.ManifestFile;
import dev.keyline.device.ManifestScan;
import dev.keyline.job.RunPlan.AlreadyCompleted;
import dev.keyline.job.RunPlan.Resume;
import dev.keyline.job.RunPlan.Start;

/**
 * The run policy of an output: whether a run starts, resumes or has nothing to do, which execution a restart resumes,
 * and what is refused before any key is made (a changed manifest, an output of another CA, an output another process
 * holds). The command line, and later the remote manager, ask this one service, so a run is decided the same way
 * whoever starts it; they only report the decision and hand it to {@link Provisioning}.
 *
 * <p>Every refusal is a {@link dev.keyline.error.KeylineException} of kind configuration: nothing was done.
 */
public final class Runs {

    private final KitOpener kits;

    /** @param kits opens a run's issuance kit, with the secrets of this process, to check them and read the CA */
    public Runs(KitOpener kits) {
        this.kits = kits;
    }

    /**
     * Decides what running {@code draft} into its output does: start it; resume the unfinished run of the same
     * manifest content (found by its SHA-256, which identifies the run: a resume through {@code run} is checked against
     * the file as it is now) with the settings it started with; or nothing, as it completed.
     *
     * @param draft  the run as the command line gives it; its output id is the output's own, read here
     * @param db     the database given now, if any (else the one the output remembers, else H2 inside it)
     * @param newRun start a new run even though an unfinished run of the same file has changed since
     * @throws ManifestChangedException when the file of an unfinished run changed and {@code newRun} is not given
     * @throws OutputCaMismatchException when the output holds devices of another CA
     */
    public PlannedRun<RunPlan> run(RunRequest draft, Optional<String> db, boolean newRun) {
        // Unlock everything before the output folder is touched: a wrong passphrase leaves no trace.
        OutputCa signing = unlockedCa(draft);
        OutputFolder folder = OutputFolder.create(draft.out());
        return locked(folder, db, draft.threads(), draft.placement() instanceof Placement.Remote,
                (database, provisioning) -> {
            RunRequest request = draft.withOutputId(folder.outputId());
            Optional<RunState> previous = provisioning.lastExecution(request);
            if (previous.isPresent() && previous.get().completed()) {
                return new AlreadyCompleted(previous.get());
            }
            if (previous.isPresent()) {
                RunRequest started = provisioning.requestOf(previous.get().executionId());
                OutputCa startedCa = started.sameIssuance(request) ? signing : unlockedCa(started);
                requireCa(folder, provisioning, startedCa);
                return new Resume(previous.get(), started);
            }
            if (!newRun) {
                refuseIfChangedSinceUnfinishedRun(provisioning, request);
            }
            requireCa(folder, provisioning, signing);
            return new Start(request, spaceWarning(request, database, folder.path()));
        });
    }

    /**
     * Decides which execution {@code restart} resumes in the output {@code out}, and checks that it can go on: its
     * manifest is still the file it started from, and its CA is the output's.
     *
     * @param executionId the execution to resume, else the newest restartable one
     * @throws NotRestartableException  when there is no such execution, or it cannot be restarted
     * @throws ManifestGoneException    when the run's manifest no longer exists
     * @throws ManifestChangedException when the run's manifest changed since it started
     */
    public PlannedRun<Resume> restart(Path out, Optional<String> db, OptionalLong executionId) {
        OutputFolder folder = OutputFolder.existing(out);
        return locked(folder, db, Runtime.getRuntime().availableProcessors(), false, (database, provisioning) -> {
            ExecutionSummary target = pick(provisioning.executions(folder.path()), executionId, folder.path());
            RunRequest request = target.request();
            requireManifestUnchanged(request, target.executionId(), folder.path());
            requireCa(folder, provisioning, unlockedCa(request));
            return new Resume(provisioning.execution(target.executionId()).orElseThrow(), request);
        });
    }

    /** What is decided while the output is locked and its job context open. */
    private interface Decision<P extends RunPlan> {
        P decide(Database database, Provisioning provisioning);
    }

    /** Locks the output and opens its job context for the decision; both stay held for the run, or go on a refusal. */
    private <P extends RunPlan> PlannedRun<P> locked(OutputFolder folder, Optional<String> db, int threads,
                                                     boolean remote, Decision<P> decision) {
        Provisioning provisioning = null;
        try {
            folder.lock();
            Database database = folder.database(db);
            if (remote && database.isEmbedded()) {
                throw new InvalidSettingException("--workers", "--workers remote needs a shared database: the default "
                        + "H2 ledger inside the output can be written by one process only; give --db "
                        + "jdbc:postgresql://HOST:5432/DB (the same for the manager and every worker)");
            }
            provisioning = Provisioning.open(database, folder.logFile(), threads, kits);
            provisioning.compactLedgerOnClose();
            return new PlannedRun<>(folder, provisioning, decision.decide(database, provisioning));
        } catch (RuntimeException e) {
            if (provisioning != null) {
                try {
                    provisioning.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            folder.close();
            throw e;
        }
    }

    /**
     * Opens the run's kit as its executions will, and closes it again: a missing CA, a wrong passphrase, a bad profile
     * or token stops here, before any key is made.
     */
    private OutputCa unlockedCa(RunRequest request) {
        try (IssuanceKit kit = kits.open(request)) {
            return OutputCa.of(kit.ca().certificate());
        }
    }

    private static void requireCa(OutputFolder folder, Provisioning provisioning, OutputCa signing) {
        folder.requireCa(signing, () -> OutputCa.ofEarlierRuns(provisioning, folder.path()));
    }

    /**
     * Running a file again is how an unfinished run is resumed; when the file changed meanwhile, it would silently
     * become a new run instead and the unfinished one would never complete. Asking for the choice is safer. A run
     * that committed nothing (its scan refused the file, say a cut-off gzip since replaced) has nothing to resume.
     */
    private static void refuseIfChangedSinceUnfinishedRun(Provisioning provisioning, RunRequest request) {
        for (ExecutionSummary earlier : provisioning.executions(request.out())) {
            RunRequest then = earlier.request();
            if (earlier.restartable() && then.manifest().equals(request.manifest())
                    && !then.manifestSha256().equals(request.manifestSha256())
                    && provisioning.committed(earlier.instanceId()).total() > 0) {
                throw new ManifestChangedException(request.manifest(), earlier.executionId(), request.out());
            }
        }
    }

    /** A restart reads the manifest again from its stored position, so it must be the very file the run split. */
    private static void requireManifestUnchanged(RunRequest request, long executionId, Path out) {
        if (!Files.exists(request.manifest())) {
            throw new ManifestGoneException(request.manifest());
        }
        ManifestFile.require(request.manifest());
        if (!ManifestScan.sha256(request.manifest()).equals(request.manifestSha256())) {
            throw new ManifestChangedException(request.manifest(), executionId, out);
        }
    }

    private static ExecutionSummary pick(List<ExecutionSummary> executions, OptionalLong executionId, Path out) {
        if (executionId.isPresent()) {
            long id = executionId.getAsLong();
            ExecutionSummary chosen = executions.stream().filter(e -> e.executionId() == id).findFirst()
                    .orElseThrow(() -> new NotRestartableException("no execution " + id + " in " + out
                            + "; keyline status --out " + out + " lists them"));
            if (!chosen.restartable()) {
                throw new NotRestartableException("execution " + id + " is " + chosen.status().toLowerCase()
                        + " and cannot be restarted" + (chosen.status().equals("COMPLETED") ? ": it completed" : ""));
            }
            return chosen;
        }
        return executions.stream().filter(ExecutionSummary::restartable).findFirst()
                .orElseThrow(() -> new NotRestartableException("nothing to restart in " + out
                        + ": every run there completed (keyline status --out " + out + ")"));
    }

    /**
     * One line when the output's disk has less room than the run will take: a full disk half-way stops the run
     * (exit 1, resumable), and it is cheaper to know before. The rows are estimated from the manifest's line ends
     * (parsing them all here, before the scan step parses them again, was a second of a million-device run's start);
     * a manifest that cannot be read is left to the scan step, which reports it properly.
     */
    private static Optional<String> spaceWarning(RunRequest request, Database database, Path out) {
        try {
            long rows = ManifestScan.estimateRows(request.manifest(), request.format());
            long usable = Files.getFileStore(out).getUsableSpace();
            return new SpaceEstimate(rows, request.bundleLayout(), request.pkcs12(), database.isEmbedded(),
                    request.chunkSize())
                    .warning(out, usable);
        } catch (IOException | RuntimeException e) {
            // no estimate: the run goes on, and a full disk still ends it cleanly
            return Optional.empty();
        }
    }
}
