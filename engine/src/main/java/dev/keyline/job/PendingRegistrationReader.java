package dev.keyline.job;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.RegistrationCandidate;

/**
 * The output's issued identities that still lack REGISTERED with one of the run's targets, in device id order.
 * A device goes to the targets its {@code accounts} column names (those among the run's), or to all of the run's
 * targets when it names none.
 * <p>
 * Restartable: the last device id handed out is kept in the ExecutionContext, which Spring Batch saves after a
 * chunk is written, in the chunk's transaction; a restart continues after the last committed chunk. Memory holds one
 * page. Not thread-safe (the step reads on one thread; only processing is concurrent).
 */
// Not final: step-scoped beans are class-based proxies.
public class PendingRegistrationReader implements ItemStreamReader<RegistrationWork> {

    static final String LAST_DEVICE = "register.last-device-id";
    private static final int PAGE = 500;

    private final Ledger ledger;
    private final String outputId;
    private final List<String> targets;
    private final RegistrationProgress progress;
    private final Deque<RegistrationCandidate> page = new ArrayDeque<>();
    private String lastRead;
    private String lastPaged;
    private boolean exhausted;

    public PendingRegistrationReader(Ledger ledger, String outputId, List<String> targets, RegistrationProgress progress) {
        this.ledger = ledger;
        this.outputId = outputId;
        this.targets = List.copyOf(targets);
        this.progress = progress;
    }

    @Override
    public void open(ExecutionContext context) {
        lastRead = context.containsKey(LAST_DEVICE) ? context.getString(LAST_DEVICE) : null;
        lastPaged = lastRead;
        long pending = 0;
        for (String target : targets) {
            pending += ledger.pendingRegistrations().countPendingRegistrations(outputId, target, true);
        }
        progress.total(pending);
        exhausted = targets.isEmpty();
    }

    @Override
    public RegistrationWork read() {
        while (true) {
            if (page.isEmpty()) {
                if (exhausted) {
                    return null;
                }
                List<RegistrationCandidate> next = ledger.pendingRegistrations()
                        .registrationCandidates(outputId, lastPaged, PAGE);
                if (next.size() < PAGE) {
                    exhausted = true;
                }
                if (next.isEmpty()) {
                    return null;
                }
                lastPaged = next.get(next.size() - 1).deviceId();
                page.addAll(next);
            }
            RegistrationCandidate device = page.poll();
            lastRead = device.deviceId();
            List<String> pending = pendingTargets(device);
            if (!pending.isEmpty()) {
                return new RegistrationWork(device, pending);
            }
        }
    }

    private List<String> pendingTargets(RegistrationCandidate device) {
        List<String> accounts = device.input().accounts();
        Set<String> done = device.registeredWith();
        List<String> pending = new ArrayList<>();
        for (String target : targets) {
            if ((accounts.isEmpty() || accounts.contains(target)) && !done.contains(target)) {
                pending.add(target);
            }
        }
        return pending;
    }

    @Override
    public void update(ExecutionContext context) {
        if (lastRead != null) {
            context.putString(LAST_DEVICE, lastRead);
        }
    }
}
