package dev.keyline.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeyPool;
import dev.keyline.keys.KeyPoolFiller;
import dev.keyline.keys.SoftwareKeySource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.keyline.text.Counted;

/** {@code keyline keypool}: keys made ahead of time, so a night's RSA batch does not wait on key generation. */
@Command(name = "keypool", mixinStandardHelpOptions = true,
        description = {"Make device keys ahead of time into an encrypted pool that `keyline run --key-pool DIR` "
                + "consumes, each key once.",
                "The pool passphrase comes from $" + Secrets.POOL_PASSPHRASE + " or --pool-passphrase-file."},
        subcommands = {KeyPoolCommand.Fill.class, KeyPoolCommand.Status.class})
final class KeyPoolCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a sub-command: fill or status");
    }

    @Command(name = "fill", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Add keys to the pool (created on first use).")
    static final class Fill implements Callable<Integer> {

        @Option(names = "--pool", required = true, paramLabel = "DIR", description = "the pool folder")
        Path pool;

        @Option(names = "--key", defaultValue = "rsa-2048", paramLabel = "ALG",
                description = "key algorithm of a new pool (default: ${DEFAULT-VALUE})")
        String key;

        @Option(names = "--count", required = true, paramLabel = "N", description = "keys to add")
        long count;

        @Option(names = "--threads", paramLabel = "N", description = "parallel workers (default: the number of cores)")
        Integer threads;

        @Option(names = "--batch-size", defaultValue = "100", paramLabel = "N",
                description = "keys per sealed batch, the unit a consumer claims (default: ${DEFAULT-VALUE})")
        int batchSize;

        @Option(names = "--crypto-provider", defaultValue = "auto", paramLabel = "NAME",
                description = "auto | accp | bc | jdk (default: ${DEFAULT-VALUE})")
        String provider;

        @Option(names = "--pool-passphrase-file", paramLabel = "FILE",
                description = "file holding the pool passphrase (else $" + Secrets.POOL_PASSPHRASE + ")")
        Path passphraseFile;

        @Override
        public Integer call() throws InterruptedException {
            if (count < 1) {
                throw new UsageException("--count must be at least 1");
            }
            if (batchSize < 1) {
                throw new UsageException("--batch-size must be at least 1");
            }
            int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            KeyAlgorithm algorithm = KeyAlgorithm.fromId(key);
            char[] passphrase = Secrets.poolPassphrase(Optional.ofNullable(passphraseFile));
            try {
                KeyPool keyPool = java.nio.file.Files.exists(pool.resolve("pool.properties"))
                        ? KeyPool.open(pool, passphrase) : KeyPool.create(pool, algorithm, passphrase);
                if (keyPool.algorithm() != algorithm) {
                    throw new UsageException("the pool at " + pool + " holds " + keyPool.algorithm().id()
                            + " keys, not " + algorithm.id() + ": use another folder for another algorithm");
                }
                long start = System.nanoTime();
                long added = new KeyPoolFiller(keyPool, new SoftwareKeySource(CryptoProvider.fromId(provider)), batchSize)
                        .fill(count, workers, n -> System.err.printf("\rkeyline: %,d/%,d keys", n, count));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.err.println();
                KeyPool.Status status = keyPool.status();
                System.out.printf("Added %s in %.1f s (%,.1f keys/s, %s); the pool holds %s.%n",
                        Counted.of(added, algorithm.id() + " key"), seconds, added / seconds, Counted.of(workers, "thread"),
                        Counted.of(status.readyKeys(), "ready key"));
                return ExitCodes.OK;
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Keys ready, batches claimed.")
    static final class Status implements Callable<Integer> {

        @Option(names = "--pool", required = true, paramLabel = "DIR", description = "the pool folder")
        Path pool;

        @Option(names = "--pool-passphrase-file", paramLabel = "FILE",
                description = "file holding the pool passphrase (else $" + Secrets.POOL_PASSPHRASE + ")")
        Path passphraseFile;

        @Option(names = "--purge-claimed", description = "delete batches claimed by processes that died (never reused)")
        boolean purge;

        @Override
        public Integer call() {
            char[] passphrase = Secrets.poolPassphrase(Optional.ofNullable(passphraseFile));
            try {
                KeyPool keyPool = KeyPool.open(pool, passphrase);
                if (purge) {
                    System.out.println("Purged " + Counted.of(keyPool.purgeClaimed(), "claimed batch", "claimed batches") + ".");
                }
                KeyPool.Status s = keyPool.status();
                System.out.printf("%s: %s ready in %s; %s claimed (in use, or left by a process "
                        + "that died: never reused)%n", pool, Counted.of(s.readyKeys(), s.algorithm().id() + " key"),
                        Counted.of(s.readyBatches(), "batch", "batches"), Counted.of(s.claimedBatches(), "batch", "batches"));
                return ExitCodes.OK;
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

}
