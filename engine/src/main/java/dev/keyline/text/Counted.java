package dev.keyline.text;

import java.util.Locale;

/** A count and its noun for a message a person reads: "1 device", "1,000 devices", never "1 devices". */
public final class Counted {

    private Counted() {
    }

    /** The noun with an "s" for any count but one. */
    public static String of(long count, String noun) {
        return of(count, noun, noun + "s");
    }

    /** For an irregular plural, or a noun with its verb: {@code of(n, "device was", "devices were")}. */
    public static String of(long count, String one, String many) {
        return String.format(Locale.ROOT, "%,d %s", count, count == 1 ? one : many);
    }
}
