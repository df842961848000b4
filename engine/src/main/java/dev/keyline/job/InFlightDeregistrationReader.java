package dev.keyline.job;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import dev.keyline.ledger.Deregistrations;

/**
 * The output's (device, target) pairs in flight with the run's targets, marked DEREGISTERING or REVOKING by this or an
 * earlier {@code keyline deregister}, in (device id, target) order.
 * <p>
 * Restartable like {@link PendingRegistrationReader}: the last pair handed out is kept in the ExecutionContext, which
 * Spring Batch saves with each chunk's transaction, so a restart continues after the last committed chunk (a pair
 * that failed in this execution is not tried twice by it; the next run tries it again). Memory holds one page.
 * Not thread-safe (the step reads on one thread; only processing is concurrent).
 */
// Not final: step-scoped beans are class-based proxies.
public class InFlightDeregistrationReader implements ItemStreamReader<Deregistrations.Row> {

    static final String LAST_DEVICE = "deregister.last-device-id";
    static final String LAST_TARGET = "deregister.last-target";
    private static final int PAGE = 500;

    private final Deregistrations deregistrations;
    private final String outputId;
    private final List<String> targets;
    private final RegistrationProgress progress;
    private final Deque<Deregistrations.Row> page = new ArrayDeque<>();
    private String lastDevice;
    private String lastTarget;
    private String pagedDevice;
    private String pagedTarget;
    private boolean exhausted;

    public InFlightDeregistrationReader(Deregistrations deregistrations, String outputId, List<String> targets,
                                        RegistrationProgress progress) {
        this.deregistrations = deregistrations;
        this.outputId = outputId;
        this.targets = List.copyOf(targets);
        this.progress = progress;
    }

    @Override
    public void open(ExecutionContext context) {
        if (context.containsKey(LAST_DEVICE)) {
            lastDevice = context.getString(LAST_DEVICE);
            lastTarget = context.getString(LAST_TARGET);
        }
        pagedDevice = lastDevice;
        pagedTarget = lastTarget;
        progress.total(deregistrations.countInFlight(outputId, targets));
        exhausted = targets.isEmpty();
    }

    @Override
    public Deregistrations.Row read() {
        if (page.isEmpty() && !exhausted) {
            List<Deregistrations.Row> next = deregistrations.inFlight(outputId, targets, pagedDevice, pagedTarget, PAGE);
            exhausted = next.size() < PAGE;
            if (!next.isEmpty()) {
                Deregistrations.Row last = next.get(next.size() - 1);
                pagedDevice = last.deviceId();
                pagedTarget = last.target();
                page.addAll(next);
            }
        }
        Deregistrations.Row row = page.poll();
        if (row != null) {
            lastDevice = row.deviceId();
            lastTarget = row.target();
        }
        return row;
    }

    @Override
    public void update(ExecutionContext context) {
        if (lastDevice != null) {
            context.putString(LAST_DEVICE, lastDevice);
            context.putString(LAST_TARGET, lastTarget);
        }
    }
}
