package dev.keyline.output.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.keyline.ledger.ChunkCommit;

/**
 * Devices committed per second over an execution's time, in all and per step or partition, from its chunk commits:
 * the commits are counted into buckets of equal width from the execution's start, and each bucket's devices divided by
 * its width. The width is the smallest of 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800 or 3600 s that keeps
 * the chart at 150 buckets or fewer, so a one-second run and a night-long one both draw as a curve.
 *
 * @param seconds the start of each bucket, in seconds from the execution's start
 * @param series  name to devices per second in each bucket: "all", then each step in name order
 */
public record ChunkRates(double bucketSeconds, double[] seconds, Map<String, double[]> series) {

    private static final double[] WIDTHS = {0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};
    private static final int MAX_BUCKETS = 150;
    public static final String ALL = "all";

    public static ChunkRates of(Instant start, List<ChunkCommit> chunks) {
        if (chunks.isEmpty()) {
            return new ChunkRates(1, new double[0], Map.of());
        }
        Instant first = start == null ? chunks.get(0).committedAt() : start;
        double span = 0;
        for (ChunkCommit c : chunks) {
            span = Math.max(span, seconds(first, c.committedAt()));
        }
        double width = widthFor(span);
        int buckets = (int) Math.floor(span / width) + 1;
        Map<String, double[]> perStep = new TreeMap<>();
        double[] all = new double[buckets];
        for (ChunkCommit c : chunks) {
            int b = Math.min(buckets - 1, Math.max(0, (int) Math.floor(seconds(first, c.committedAt()) / width)));
            all[b] += c.devices();
            perStep.computeIfAbsent(c.stepName(), k -> new double[buckets])[b] += c.devices();
        }
        double[] at = new double[buckets];
        for (int i = 0; i < buckets; i++) {
            at[i] = round(i * width);
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put(ALL, perSecond(all, width));
        perStep.forEach((step, counts) -> series.put(step, perSecond(counts, width)));
        return new ChunkRates(width, at, series);
    }

    private static double widthFor(double span) {
        for (double w : WIDTHS) {
            if (span / w < MAX_BUCKETS) {
                return w;
            }
        }
        return WIDTHS[WIDTHS.length - 1];
    }

    /** The names of the per-step series, without "all". */
    public List<String> steps() {
        List<String> steps = new ArrayList<>(series.keySet());
        steps.remove(ALL);
        return steps;
    }

    private static double[] perSecond(double[] counts, double width) {
        double[] rates = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            rates[i] = round(counts[i] / width);
        }
        return rates;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
