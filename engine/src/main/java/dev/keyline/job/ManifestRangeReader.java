package dev.keyline.job;

import java.nio.file.Path;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import dev.keyline.device.ManifestException;
import dev.keyline.device.ManifestFormat;
import dev.keyline.device.ManifestReader;
import dev.keyline.device.ManifestRecord;

/**
 * Reads the rows {@code [first, end)} of a manifest, one partition's share. Its position goes into the step's
 * ExecutionContext, which the chunk's transaction commits together with the chunk's ledger rows: a restart
 * resumes exactly after the last committed chunk.
 */
// Not final: step-scoped beans are class-based proxies.
public class ManifestRangeReader implements ItemStreamReader<ManifestRecord> {

    static final String POSITION = "position";

    private final Path manifest;
    private final ManifestFormat format;
    private final long first;
    private final long end;
    private ManifestReader reader;
    private long position;

    public ManifestRangeReader(Path manifest, ManifestFormat format, long first, long end) {
        this.manifest = manifest;
        this.format = format;
        this.first = first;
        this.end = end;
    }

    @Override
    public void open(ExecutionContext context) throws ItemStreamException {
        position = context.containsKey(POSITION) ? context.getLong(POSITION) : first;
        reader = ManifestReader.open(manifest, format);
        reader.skipTo(position);
        if (reader.position() != position) {
            long found = reader.position();
            reader.close();
            reader = null;
            throw new ManifestException(manifest, "has " + found + " rows, fewer than when the run started (it resumes at row "
                    + position + "): the file changed; restore the original file to resume, or run the changed file "
                    + "as a new run into the same output (devices already issued there are skipped)");
        }
    }

    @Override
    public ManifestRecord read() {
        if (position >= end) {
            return null;
        }
        ManifestRecord record = reader.next();
        if (record == null) {
            return null;
        }
        position++;
        return record;
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(POSITION, position);
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
