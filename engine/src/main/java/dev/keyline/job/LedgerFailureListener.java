package dev.keyline.job;

import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

import org.h2.api.DatabaseEventListener;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/**
 * H2's listener on a Keyline ledger ({@code DATABASE_EVENT_LISTENER} in the URL, see {@link Provisioning#open}): it
 * tells the ledger's {@link LedgerWatchdog} when a statement failed because H2 could not write its file. H2 calls it
 * before it rolls the statement back, which is where a failed store can leave it spinning. H2 makes an instance per
 * connection, with a public no-argument constructor.
 */
public final class LedgerFailureListener implements DatabaseEventListener {

    private static final String ENOSPC = "no space left on device";

    private volatile String url = "";

    @Override
    public void init(String url) {
        this.url = url;
    }

    @Override
    public void exceptionThrown(SQLException e, String sql) {
        if (isFailedWrite(e)) {
            LedgerWatchdog.of(url).ifPresent(watchdog -> watchdog.ledgerFailed(e));
        }
    }

    /** H2 could not write its file: its store's write failed, or the disk was full. */
    static boolean isFailedWrite(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof MVStoreException store && store.getErrorCode() == DataUtils.ERROR_WRITING_FAILED) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(ENOSPC)) {
                return true;
            }
        }
        return false;
    }
}
