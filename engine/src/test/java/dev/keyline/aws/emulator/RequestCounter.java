package dev.keyline.aws.emulator;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests received per operation per wall-clock second (epoch second of arrival), all answers included:
 * the histogram a test asserts a rate limit against. Thread-safe.
 */
public final class RequestCounter {

    private final Map<String, ConcurrentSkipListMap<Long, AtomicInteger>> perSecond = new ConcurrentHashMap<>();

    void count(String operation, long epochMillis) {
        perSecond.computeIfAbsent(operation, o -> new ConcurrentSkipListMap<>())
                .computeIfAbsent(epochMillis / 1000, s -> new AtomicInteger()).incrementAndGet();
    }

    /** Epoch second -> requests of that operation received in it. */
    public NavigableMap<Long, Integer> perSecond(String operation) {
        TreeMap<Long, Integer> copy = new TreeMap<>();
        perSecond.getOrDefault(operation, new ConcurrentSkipListMap<>()).forEach((s, n) -> copy.put(s, n.get()));
        return Collections.unmodifiableNavigableMap(copy);
    }

    /** The busiest wall-clock second of the operation. */
    public int maxPerSecond(String operation) {
        return perSecond(operation).values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    public long total(String operation) {
        return perSecond(operation).values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Operations seen so far. */
    public java.util.Set<String> operations() {
        return Collections.unmodifiableSet(perSecond.keySet());
    }
}
