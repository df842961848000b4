package dev.keyline.keys;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A folder of key pairs made ahead of time (RSA keygen runs at about 12 keys/s per core, so a night's RSA batch
 * would otherwise wait on it), encrypted at rest, each consumed at most once.
 *
 * <p>Layout: {@code pool.properties} (algorithm, PBKDF2 salt and iterations, a check value for the passphrase),
 * {@code ready/*.batch} (sealed batches of keys) and {@code claimed/} (batches a process took). A consumer claims
 * a whole batch by renaming it from {@code ready/} into {@code claimed/} — atomic, so two processes or threads
 * never get the same batch — and deletes it once every key in it was handed out. A batch left in
 * {@code claimed/} by a process that died may have given out some of its keys, so it is never used again; it is
 * only counted and can be purged.
 *
 * <p>Each key is AES-256-GCM encrypted under a key derived once from the pool passphrase (PBKDF2-HMAC-SHA256);
 * the batch id and the key's index are the associated data, so keys cannot be moved between batches unnoticed.
 * Thread-safe.
 */
public final class KeyPool {

    static final String SETTINGS = "pool.properties";
    static final String READY = "ready";
    static final String CLAIMED = "claimed";
    private static final String BATCH_SUFFIX = ".batch";
    private static final int DEFAULT_ITERATIONS = 600_000;
    private static final byte[] CHECK = "keyline key pool".getBytes(StandardCharsets.US_ASCII);

    private final Path dir;
    private final KeyAlgorithm algorithm;
    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    private KeyPool(Path dir, KeyAlgorithm algorithm, SecretKey key) {
        this.dir = dir;
        this.algorithm = algorithm;
        this.key = key;
    }

    /** Creates a new, empty pool; refuses a folder that already holds one. */
    public static KeyPool create(Path dir, KeyAlgorithm algorithm, char[] passphrase) {
        if (Files.exists(dir.resolve(SETTINGS))) {
            throw new KeyPoolException("a key pool already exists at " + dir + ": fill it, or choose another folder");
        }
        try {
            Files.createDirectories(dir);
            for (String sub : List.of(READY, CLAIMED)) {
                if (!Files.isDirectory(dir.resolve(sub))) {
                    Files.createDirectory(dir.resolve(sub),
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
            }
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            SecretKey key = derive(passphrase, salt, DEFAULT_ITERATIONS);
            KeyPool pool = new KeyPool(dir, algorithm, key);
            Properties p = new Properties();
            p.setProperty("algorithm", algorithm.id());
            p.setProperty("kdf", "PBKDF2WithHmacSHA256");
            p.setProperty("iterations", Integer.toString(DEFAULT_ITERATIONS));
            p.setProperty("salt", Base64.getEncoder().encodeToString(salt));
            p.setProperty("check", Base64.getEncoder().encodeToString(pool.seal(CHECK, "check".getBytes(StandardCharsets.US_ASCII))));
            try (Writer w = Files.newBufferedWriter(dir.resolve(SETTINGS))) {
                p.store(w, "Keyline key pool: keys made ahead of time, encrypted, each used once");
            }
            return pool;
        } catch (IOException e) {
            throw new KeyPoolException("cannot create the key pool at " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Opens an existing pool, checking the passphrase. */
    public static KeyPool open(Path dir, char[] passphrase) {
        Path settings = dir.resolve(SETTINGS);
        if (!Files.isRegularFile(settings)) {
            throw new KeyPoolException("no key pool at " + dir + ": make one with `keyline keypool fill --pool " + dir
                    + " --key rsa-2048 --count N`");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(settings)) {
            p.load(r);
        } catch (IOException e) {
            throw new KeyPoolException("cannot read " + settings + ": " + e.getMessage(), e);
        }
        KeyAlgorithm algorithm = KeyAlgorithm.fromId(p.getProperty("algorithm", ""));
        SecretKey key = derive(passphrase, Base64.getDecoder().decode(p.getProperty("salt", "")),
                Integer.parseInt(p.getProperty("iterations", "0")));
        KeyPool pool = new KeyPool(dir, algorithm, key);
        try {
            byte[] check = pool.open(Base64.getDecoder().decode(p.getProperty("check", "")),
                    "check".getBytes(StandardCharsets.US_ASCII));
            if (!MessageDigest.isEqual(check, CHECK)) {
                throw new GeneralSecurityException("check value differs");
            }
        } catch (GeneralSecurityException e) {
            throw new KeyPoolException("the passphrase does not open the key pool at " + dir
                    + ": check KEYLINE_POOL_PASSPHRASE or --pool-passphrase-file");
        }
        return pool;
    }

    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    public Path path() {
        return dir;
    }

    /** Seals key pairs as one batch and makes it available, atomically (a half-written batch is never seen). */
    public void addBatch(List<KeyPair> keys) {
        String id = UUID.randomUUID().toString();
        ByteBuffer out = ByteBuffer.allocate(16 + keys.size() * (algorithm.isEc() ? 200 : 1800 + algorithm.bits()));
        out.putInt(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            KeyPair pair = keys.get(i);
            if (KeyAlgorithm.of(pair.getPublic()).orElse(null) != algorithm) {
                throw new IllegalArgumentException("this pool holds " + algorithm.id() + " keys");
            }
            byte[] sealed = seal(pair.getPrivate().getEncoded(), aad(id, i));
            out.putInt(sealed.length).put(sealed);
        }
        Path temp = dir.resolve(READY).resolve("." + id + ".tmp");
        Path target = dir.resolve(READY).resolve(id + BATCH_SUFFIX);
        try {
            Files.write(temp, Arrays.copyOf(out.array(), out.position()));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a key batch into " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Claims one ready batch for this caller alone, or empty when none is left.
     */
    public Optional<Batch> claim() {
        for (Path ready : list(READY)) {
            String name = ready.getFileName().toString();
            Path claimed = dir.resolve(CLAIMED).resolve(name);
            try {
                Files.move(ready, claimed, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException | FileAlreadyExistsException e) {
                continue; // another consumer took it first
            } catch (AtomicMoveNotSupportedException e) {
                throw new KeyPoolException("the key pool at " + dir + " must be on one file system that renames atomically");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Optional.of(new Batch(claimed, name.substring(0, name.length() - BATCH_SUFFIX.length())));
        }
        return Optional.empty();
    }

    /** Counts of keys ready and batches claimed (in use, or left by a process that died). */
    public Status status() {
        long keys = 0;
        List<Path> ready = list(READY);
        for (Path batch : ready) {
            try {
                keys += ByteBuffer.wrap(Files.readAllBytes(batch), 0, 4).getInt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Status(algorithm, ready.size(), keys, list(CLAIMED).size());
    }

    /** Deletes claimed batches (never reused: some of their keys may be out). */
    public int purgeClaimed() {
        int n = 0;
        for (Path p : list(CLAIMED)) {
            try {
                Files.deleteIfExists(p);
                n++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }

    public record Status(KeyAlgorithm algorithm, int readyBatches, long readyKeys, int claimedBatches) {
    }

    /** A claimed batch: hands its keys out once each, then deletes its file. Not thread-safe: one per consumer. */
    public final class Batch {

        private final Path file;
        private final String id;
        private final ByteBuffer data;
        private final int count;
        private int next;

        private Batch(Path file, String id) {
            this.file = file;
            this.id = id;
            try {
                this.data = ByteBuffer.wrap(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the key batch " + file + ": " + e.getMessage(), e);
            }
            this.count = data.getInt();
        }

        /** The next key pair, or empty when the batch is used up (its file is then deleted). */
        public Optional<KeyPair> next() {
            if (next >= count) {
                return Optional.empty();
            }
            int index = next++;
            byte[] sealed = new byte[data.getInt()];
            data.get(sealed);
            KeyPair pair;
            try {
                pair = toKeyPair(open(sealed, aad(id, index)));
            } catch (GeneralSecurityException e) {
                throw new KeyPoolException("key " + index + " of batch " + file + " does not decrypt: the batch is damaged "
                        + "or was moved from another pool");
            }
            if (next == count) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return Optional.of(pair);
        }
    }

    private KeyPair toKeyPair(byte[] pkcs8) throws GeneralSecurityException {
        try {
            KeyFactory factory = KeyFactory.getInstance(algorithm.jcaName(), CryptoProviders.bc());
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            PublicKey publicKey;
            if (privateKey instanceof RSAPrivateCrtKey rsa) {
                publicKey = factory.generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            } else {
                publicKey = ecPublicKey(privateKey);
            }
            return new KeyPair(publicKey, privateKey);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** EC: Q = d·G, recomputed, since PKCS#8 need not carry the public point. */
    private static PublicKey ecPublicKey(PrivateKey privateKey) throws GeneralSecurityException {
        org.bouncycastle.jce.interfaces.ECPrivateKey ec = (org.bouncycastle.jce.interfaces.ECPrivateKey) privateKey;
        org.bouncycastle.jce.spec.ECParameterSpec spec = ec.getParameters();
        org.bouncycastle.math.ec.ECPoint q = spec.getG().multiply(ec.getD()).normalize();
        return KeyFactory.getInstance("EC", CryptoProviders.bc())
                .generatePublic(new org.bouncycastle.jce.spec.ECPublicKeySpec(q, spec));
    }

    private byte[] seal(byte[] plain, byte[] aad) {
        try {
            byte[] nonce = new byte[12];
            synchronized (random) {
                random.nextBytes(nonce);
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable: " + e.getMessage(), e);
        }
    }

    private byte[] open(byte[] sealed, byte[] aad) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, 12));
        cipher.updateAAD(aad);
        return cipher.doFinal(sealed, 12, sealed.length - 12);
    }

    private static byte[] aad(String batchId, int index) {
        return (batchId + "/" + index).getBytes(StandardCharsets.US_ASCII);
    }

    private static SecretKey derive(char[] passphrase, byte[] salt, int iterations) {
        if (passphrase.length == 0) {
            throw new KeyPoolException("the key pool passphrase is empty: set KEYLINE_POOL_PASSPHRASE or --pool-passphrase-file");
        }
        try {
            PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
            byte[] raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            spec.clearPassword();
            return new SecretKeySpec(raw, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 is unavailable: " + e.getMessage(), e);
        }
    }

    private List<Path> list(String sub) {
        List<Path> batches = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.resolve(sub), "*" + BATCH_SUFFIX)) {
            stream.forEach(batches::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir.resolve(sub) + ": " + e.getMessage(), e);
        }
        batches.sort(null);
        return batches;
    }

    @Override
    public String toString() {
        return "KeyPool[" + dir + ", " + algorithm.id() + "]";
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
