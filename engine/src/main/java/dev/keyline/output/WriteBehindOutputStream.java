package dev.keyline.output;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A buffered stream whose full buffers are written to the target by a thread of its own, so the caller fills the next
 * buffer while the kernel copies the last. The export writes some 800 MB of manifests for a million devices, after
 * the issue step, when the workers' cores are idle: written by the merging thread, the write calls were over a third
 * of the export's time (JFR).
 *
 * <p>Not thread-safe: one thread writes, as to any stream; unlike {@link java.io.BufferedOutputStream} it takes no
 * lock per call, which the merge's dozen small writes per row paid for. Bytes reach the target in the order written.
 * A failure of the target surfaces as an {@link IOException} from a later {@code write}, {@code flush} or from
 * {@link #close}, which always stops the writing thread and closes the target. {@link #flush} waits until every
 * byte written so far has reached the target (not the disk: the target's own flush is called, nothing is synced).
 */
final class WriteBehindOutputStream extends OutputStream {

    private static final int BUFFER = 1 << 18;
    /** Buffers in flight: one being filled, the others queued or being written. */
    private static final int BUFFERS = 4;
    private static final byte[] END = new byte[0];
    private static final byte[] FLUSH = new byte[0];

    private final OutputStream target;
    private final BlockingQueue<Batch> written = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<Boolean> flushed = new ArrayBlockingQueue<>(1);
    private final Thread writer;
    private volatile IOException failure;
    private byte[] buffer;
    private int count;
    private boolean closed;

    private record Batch(byte[] bytes, int length) {
    }

    /** @param name names the writing thread, for thread dumps */
    WriteBehindOutputStream(OutputStream target, String name) {
        this.target = target;
        for (int i = 1; i < BUFFERS; i++) {
            free.add(new byte[BUFFER]);
        }
        this.buffer = new byte[BUFFER];
        this.writer = new Thread(this::writeBatches, name);
        writer.setDaemon(true); // close() joins it; a daemon only so that a caller's crash cannot keep the JVM up
        writer.start();
    }

    @Override
    public void write(int b) throws IOException {
        open();
        if (count == buffer.length) {
            handOver();
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        open();
        while (length > 0) {
            if (count == buffer.length) {
                handOver();
            }
            int n = Math.min(length, buffer.length - count);
            System.arraycopy(bytes, offset, buffer, count, n);
            count += n;
            offset += n;
            length -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        open();
        if (count > 0) {
            handOver();
        }
        put(new Batch(FLUSH, 0));
        try {
            flushed.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while flushing " + writer.getName());
        }
        failed();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (count > 0 && failure == null) {
                put(new Batch(buffer, count));
            }
        } finally {
            try {
                put(new Batch(END, 0));
                writer.join();
            } catch (InterruptedException e) {
                writer.interrupt();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while closing " + writer.getName());
            } finally {
                try {
                    target.close();
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        }
        failed();
    }

    private void handOver() throws IOException {
        failed();
        put(new Batch(buffer, count));
        try {
            buffer = free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing " + writer.getName());
        }
        count = 0;
        failed();
    }

    private void put(Batch batch) throws InterruptedIOException {
        try {
            written.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing " + writer.getName());
        }
    }

    private void open() throws IOException {
        if (closed) {
            throw new IOException("the stream is closed");
        }
    }

    private void failed() throws IOException {
        IOException e = failure;
        if (e != null) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Whatever the target threw, for the caller's thread: an error too (an out-of-memory in the target's write), since a
     * writing thread that died of it would leave the caller waiting for a buffer.
     */
    private static IOException asIo(Throwable e) {
        return e instanceof IOException io ? io : new IOException("the stream's writing thread failed: " + e, e);
    }

    /**
     * The writing thread. After a failure it writes nothing more but keeps taking batches and handing their buffers
     * back, so the caller never waits for a buffer that will not come.
     */
    private void writeBatches() {
        try {
            while (true) {
                Batch batch = written.take();
                if (batch.bytes() == END) {
                    return;
                }
                if (batch.bytes() == FLUSH) {
                    if (failure == null) {
                        try {
                            target.flush();
                        } catch (Throwable e) {
                            failure = asIo(e);
                        }
                    }
                    flushed.put(Boolean.TRUE);
                    continue;
                }
                if (failure == null) {
                    try {
                        target.write(batch.bytes(), 0, batch.length());
                    } catch (Throwable e) {
                        failure = asIo(e);
                    }
                }
                free.put(batch.bytes());
            }
        } catch (InterruptedException e) {
            if (failure == null) {
                failure = new InterruptedIOException(Thread.currentThread().getName() + " was interrupted");
            }
        }
    }
}
