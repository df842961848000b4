package dev.keyline.job;

import java.time.Duration;

/** Waits between polls or attempts; a test's may not wait at all. */
@FunctionalInterface
interface Sleeper {

    Sleeper REAL = duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);

    void sleep(Duration duration) throws InterruptedException;
}
