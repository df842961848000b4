package dev.keyline.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bytes reach the target in order whatever the sizes of the writes; a flush waits for them; a failing target
 * surfaces as an IOException from a later call and from close, which still ends the writing thread and closes the
 * target; a closed stream refuses writes.
 */
class WriteBehindOutputStreamTest {

    @Test
    void writesOfEverySizeReachTheTargetInOrder() throws IOException {
        SplittableRandom random = new SplittableRandom(18);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        try (WriteBehindOutputStream out = new WriteBehindOutputStream(target, "test-writer")) {
            for (int i = 0; i < 3_000; i++) {
                int kind = random.nextInt(10);
                if (kind < 4) {
                    int b = random.nextInt(256);
                    out.write(b);
                    expected.write(b);
                } else {
                    // Mostly short runs, now and then one larger than a buffer (256 KB).
                    int length = kind == 9 ? random.nextInt(1 << 19) : random.nextInt(900);
                    byte[] bytes = new byte[length + 7];
                    random.nextBytes(bytes);
                    out.write(bytes, 3, length);
                    expected.write(bytes, 3, length);
                }
            }
        }
        assertThat(target.size()).isGreaterThan(1 << 20);
        assertThat(target.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void flushWaitsUntilTheTargetHasEveryByteWritten() throws IOException {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        try (WriteBehindOutputStream out = new WriteBehindOutputStream(target, "test-writer")) {
            for (int round = 1; round <= 5; round++) {
                out.write(new byte[300_000 + round]);
                out.write(round);
                out.flush();
                synchronized (target) { // ByteArrayOutputStream's own lock: the writer thread's writes happened before
                    assertThat(target.size()).isEqualTo(round * 300_002 + round * (round - 1) / 2);
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void aFailingTargetFailsALaterWriteAndTheCloseAndIsClosed() throws IOException {
        FailingTarget target = new FailingTarget(600_000);
        WriteBehindOutputStream out = new WriteBehindOutputStream(target, "test-writer");
        assertThatThrownBy(() -> {
            byte[] row = new byte[1000];
            for (int i = 0; i < 100_000; i++) { // 100 MB: far past the failure and every buffer in flight
                out.write(row);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
        assertThatThrownBy(out::close).isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
        assertThat(target.closed).isTrue();
        assertThat(target.written).isLessThanOrEqualTo(600_000);
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void aTargetFailingOnTheLastBytesFailsTheClose() {
        FailingTarget target = new FailingTarget(10);
        WriteBehindOutputStream out = new WriteBehindOutputStream(target, "test-writer");
        assertThatThrownBy(() -> {
            out.write(new byte[100]);
            out.close();
        }).isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
        assertThat(target.closed).isTrue();
    }

    @Test
    @Timeout(60) // the regression this guards against is a caller waiting forever for a buffer
    void anErrorInTheTargetFailsTheCallerInsteadOfLeavingItWaiting() {
        OutputStream target = new OutputStream() {
            @Override
            public void write(int b) {
                throw new OutOfMemoryError("Java heap space");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        WriteBehindOutputStream out = new WriteBehindOutputStream(target, "test-writer");
        assertThatThrownBy(() -> {
            byte[] row = new byte[1000];
            for (int i = 0; i < 10_000; i++) { // 10 MB: past every buffer in flight
                out.write(row);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("Java heap space");
        assertThatThrownBy(out::close).isInstanceOf(IOException.class);
    }

    @Test
    void aClosedStreamRefusesWritesAndClosesOnce() throws IOException {
        FailingTarget target = new FailingTarget(Long.MAX_VALUE);
        WriteBehindOutputStream out = new WriteBehindOutputStream(target, "test-writer");
        out.write(new byte[10]);
        out.close();
        out.close();
        assertThat(target.written).isEqualTo(10);
        assertThat(target.closes).isEqualTo(1);
        assertThatThrownBy(out::flush).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> out.write(new byte[1_000_000])).isInstanceOf(IOException.class);
    }

    /** Takes bytes until its capacity, then fails as a full disk does. */
    private static final class FailingTarget extends OutputStream {
        private final long capacity;
        private volatile long written;
        private volatile boolean closed;
        private volatile int closes;

        FailingTarget(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written + len > capacity) {
                throw new IOException("No space left on device");
            }
            written += len;
        }

        @Override
        public void close() {
            closed = true;
            closes++;
        }
    }
}
