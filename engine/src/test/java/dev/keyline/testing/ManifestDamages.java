package dev.keyline.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.keyline.testing.ManifestDamage.Encoding;
import dev.keyline.testing.ManifestDamage.Format;
import dev.keyline.testing.ManifestDamage.Gzip;
import dev.keyline.testing.ManifestDamage.LineEnd;
import dev.keyline.testing.ManifestDamage.Mutation;
import dev.keyline.testing.ManifestDamage.RowKind;

/**
 * Random {@link ManifestDamage}s from a seed: small manifests (5-30 rows), mostly valid rows, up to 4 mutations.
 * The same seed gives the same damage, so a failing case is replayed from its seed alone.
 */
public final class ManifestDamages {

    private ManifestDamages() {
    }

    public static ManifestDamage from(long seed) {
        Random random = new Random(seed);
        Format format = pick(random, Format.values());
        Encoding encoding = pick(random, Encoding.values());
        LineEnd lineEnd = pick(random, LineEnd.values());
        int count = 5 + random.nextInt(26);
        List<RowKind> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int roll = random.nextInt(100);
            rows.add(roll < 80 ? RowKind.VALID : roll < 88 ? RowKind.VALID_QUOTED : roll < 91 ? RowKind.BAD_ID
                    : roll < 94 ? RowKind.NO_ID : roll < 98 ? RowKind.REPEATED_ID : RowKind.BLANK);
        }
        List<Mutation> mutations = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            mutations.add(new Mutation(pick(random, Mutation.Kind.values()), random.nextInt(41), random.nextInt(4001),
                    random.nextInt(64)));
        }
        Integer cutPercent = random.nextInt(100) < 15 ? 40 + random.nextInt(60) : null;
        int zip = random.nextInt(10);
        Gzip gzip = zip < 7 ? Gzip.NONE : zip < 9 ? Gzip.GZIP : Gzip.GZIP_CUT;
        return new ManifestDamage(format, encoding, lineEnd, rows, mutations, cutPercent, gzip, 1 + random.nextInt(2),
                1 + random.nextInt(7));
    }

    private static <T> T pick(Random random, T[] values) {
        return values[random.nextInt(values.length)];
    }
}
