package dev.keyline.bundle;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

import dev.keyline.error.UnknownChoiceException;

/** How a run lays its bundles out on disk ({@code --bundle-layout}). */
public enum BundleLayout {

    /** {@code bundles/<device_id>/...}: one folder per device (the default); see {@link DirectoryBundleWriter}. */
    DIR("dir"),
    /** {@code bundles/<first device id>.tar}: one tar archive per chunk; see {@link ArchiveBundleWriter}. */
    ARCHIVE("archive");

    private final String id;

    BundleLayout(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** A writer of this layout; one per worker thread. */
    public BundleWriter open(BundleOptions options) throws IOException {
        return switch (this) {
            case DIR -> new DirectoryBundleWriter(options);
            case ARCHIVE -> new ArchiveBundleWriter(options);
        };
    }

    /** @throws UnknownChoiceException naming the layouts there are */
    public static BundleLayout fromId(String id) {
        for (BundleLayout layout : values()) {
            if (layout.id.equals(id == null ? "" : id.strip().toLowerCase(Locale.ROOT))) {
                return layout;
            }
        }
        throw new UnknownChoiceException("bundle layout", id, Arrays.stream(values()).map(BundleLayout::id).toList());
    }
}
