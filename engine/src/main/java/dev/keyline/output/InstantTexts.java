package dev.keyline.output;

import java.time.Instant;

/**
 * {@link Instant#toString()} for the few instants a run's rows repeat. A run issues whole seconds of devices with
 * the same notBefore and notAfter, and formatting each through {@code DateTimeFormatter} was 2% of an issuing
 * worker's Java time under C1 (JFR, 100,000 devices). Keeps the last few texts, so the rows read exactly as before.
 * Not thread-safe: one per row renderer.
 */
final class InstantTexts {

    private static final int KEPT = 4;

    private final Instant[] instants = new Instant[KEPT];
    private final String[] texts = new String[KEPT];
    private int next;

    String of(Instant instant) {
        for (int i = 0; i < KEPT; i++) {
            if (instant.equals(instants[i])) {
                return texts[i];
            }
        }
        String text = instant.toString();
        instants[next] = instant;
        texts[next] = text;
        next = (next + 1) % KEPT;
        return text;
    }
}
