package dev.keyline.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class InstantTextsTest {

    @Test
    void givesInstantToStringForRepeatedAndNewInstantsAlike() {
        InstantTexts texts = new InstantTexts();
        SplittableRandom random = new SplittableRandom(18);
        Instant base = Instant.parse("2026-12-07T01:00:00Z");
        for (int i = 0; i < 20_000; i++) {
            // mostly a handful of recent seconds, as a run's rows have them; sometimes nanoseconds and far instants
            Instant instant = switch (random.nextInt(10)) {
                case 0 -> base.plusNanos(random.nextLong(1_000_000_000_000L));
                case 1 -> Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 250_000_000_000L));
                default -> base.plusSeconds(i / 500 + random.nextInt(6));
            };
            assertThat(texts.of(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void keepsTheTextOfARepeatedInstant() {
        InstantTexts texts = new InstantTexts();
        Instant notBefore = Instant.parse("2026-12-07T01:00:00Z");
        Instant notAfter = Instant.parse("2036-12-04T01:00:00Z");
        String first = texts.of(notBefore);
        texts.of(notAfter);
        assertThat(texts.of(Instant.parse("2026-12-07T01:00:00Z"))).isSameAs(first);
    }
}
