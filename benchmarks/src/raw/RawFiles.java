import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's raw rate for creating what the dir layout creates per device, with no crypto and no durability:
 * a folder and three files of a bundle's sizes, with plain Files.write. Run by benchmarks/compare as
 * {@code java RawFiles.java OUT DEVICES THREADS}; prints devices per second.
 */
public class RawFiles {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int devices = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        byte[] cert = new byte[720];
        byte[] key = new byte[241];
        byte[] chain = new byte[620];
        Files.createDirectories(out);
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int from = devices * t / threads;
            int to = devices * (t + 1) / threads;
            Thread worker = new Thread(() -> {
                try {
                    for (int i = from; i < to; i++) {
                        Path dir = Files.createDirectory(out.resolve(String.format("device-%07d", i)));
                        Files.write(dir.resolve("device.crt.pem"), cert);
                        Files.write(dir.resolve("device.key.pem"), key);
                        Files.write(dir.resolve("chain.pem"), chain);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%.0f%n", devices / seconds);
    }
}
