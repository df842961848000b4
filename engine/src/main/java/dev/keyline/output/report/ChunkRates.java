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
 * Devices committed per second over an execution's time, in all and per step or partition, from its chunk commits. A
 * chunk's devices were made between the step's previous commit (or the step's start) and its own commit, so they are
 * spread evenly over that interval, then counted into buckets of equal width from the execution's start, and each
 * bucket's devices divided by its width. Without the spreading a run of a few large chunks draws as spikes at the
 * commits and zero between, which says nothing about its pace. The width is the smallest of 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800 or 3600 s that keeps
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
        return of(start, chunks, Map.of());
    }

    /** @param stepStarts when each step (partition) started, where known; else the execution's start */
    public static ChunkRates of(Instant start, List<ChunkCommit> chunks, Map<String, Instant> stepStarts) {
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
        Map<String, Double> previous = new java.util.HashMap<>();
        double[] all = new double[buckets];
        List<ChunkCommit> inOrder = new ArrayList<>(chunks);
        inOrder.sort(java.util.Comparator.comparing(ChunkCommit::committedAt));
        for (ChunkCommit c : inOrder) {
            double end = Math.max(0, seconds(first, c.committedAt()));
            Instant stepStart = stepStarts.get(c.stepName());
            double from = previous.getOrDefault(c.stepName(), stepStart == null ? 0 : Math.max(0, seconds(first, stepStart)));
            previous.put(c.stepName(), end);
            double[] step = perStep.computeIfAbsent(c.stepName(), k -> new double[buckets]);
            spread(c.devices(), Math.min(from, end), end, width, all, step);
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

    /** Adds devices made evenly over [from, to] seconds to the buckets that interval overlaps. */
    private static void spread(double devices, double from, double to, double width, double[] all, double[] step) {
        int last = all.length - 1;
        if (to - from < 1e-9) {
            int b = Math.min(last, (int) Math.floor(to / width));
            all[b] += devices;
            step[b] += devices;
            return;
        }
        for (int b = Math.min(last, (int) Math.floor(from / width)); b <= Math.min(last, (int) Math.floor(to / width)); b++) {
            double overlap = Math.min(to, (b + 1) * width) - Math.max(from, b * width);
            if (b == last) {
                overlap = to - Math.max(from, b * width); // the last bucket takes what reaches past it
            }
            if (overlap > 0) {
                double share = devices * overlap / (to - from);
                all[b] += share;
                step[b] += share;
            }
        }
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
