package dev.keyline.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.keyline.aws.RegistrationTarget;
import dev.keyline.job.OutputFolder;
import dev.keyline.job.Provisioning;
import dev.keyline.job.RegistrationRequest;
import dev.keyline.job.RegistrationTargets;
import dev.keyline.job.RunRequest;

/** The targets {@code keyline register} and {@code keyline deregister} name, resolved the same way. */
final class TargetRequests {

    private TargetRequests() {
    }

    /** {@code --ca DIR}, else the CA of the output's newest run (with-CA targets name its certificate). */
    static Path caDir(Optional<Path> ca, Provisioning provisioning, OutputFolder folder) {
        return ca.map(c -> c.toAbsolutePath().normalize())
                .or(() -> provisioning.newestRun(folder.path()).map(RunRequest::ca))
                .orElseThrow(() -> new UsageException("no run in " + folder.path() + " to take the CA from; give --ca DIR if "
                        + "with-ca targets need the CA"));
    }

    /** The targets named, or every configured one when none is. */
    static RegistrationRequest fromArguments(List<String> targets, Optional<Path> config, List<String> settings, int threads,
                                             Path caDir) {
        RegistrationRequest draft = new RegistrationRequest(targets, config.map(c -> c.toAbsolutePath().normalize()),
                settings, threads);
        if (!targets.isEmpty()) {
            return draft;
        }
        Map<String, RegistrationTarget> configured = RegistrationTargets.configured(draft, caDir);
        if (configured.isEmpty()) {
            throw new UsageException("no registration target is configured: give --config FILE or "
                    + "--keyline.targets.<name>.region=... (see samples/targets.yaml), and --target NAME");
        }
        return new RegistrationRequest(List.copyOf(configured.keySet()), draft.config(), settings, threads);
    }
}
