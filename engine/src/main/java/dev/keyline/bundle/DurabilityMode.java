package dev.keyline.bundle;

/** How {@link BundleWriter#makeDurable()} makes a chunk's files durable. See {@link Durability}. */
public enum DurabilityMode {
    /** {@link #SYNCFS} where Linux and JNA allow it, else {@link #FORCE_EACH_FILE}. */
    AUTO,
    /** One {@code syncfs(2)} of the file system holding the output, per chunk. Linux only. */
    SYNCFS,
    /** {@code fsync} of every file written and every directory changed since the last sync. Portable. */
    FORCE_EACH_FILE
}
