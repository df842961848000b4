package dev.keyline.aws.emulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulator's S3: buckets (made by the builder) holding objects, PutObject and GetObject on path-style requests
 * ({@code /bucket/key}). Enough for the bulk registration task's input file and its reports. Thread-safe.
 */
final class S3Store {

    private final Set<String> buckets;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();

    S3Store(Set<String> buckets) {
        this.buckets = Set.copyOf(buckets);
    }

    /** An S3 error, answered as S3's XML. */
    static final class S3Error extends RuntimeException {
        final int status;
        final String code;

        S3Error(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        byte[] xml() {
            return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + getMessage()
                    + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        }
    }

    void put(String bucket, String key, byte[] body) {
        requireBucket(bucket);
        objects.put(bucket + "/" + key, body.clone());
    }

    byte[] get(String bucket, String key) {
        requireBucket(bucket);
        byte[] body = objects.get(bucket + "/" + key);
        if (body == null) {
            throw new S3Error(404, "NoSuchKey", "The specified key does not exist.");
        }
        return body.clone();
    }

    Optional<byte[]> find(String bucket, String key) {
        return Optional.ofNullable(objects.get(bucket + "/" + key)).map(byte[]::clone);
    }

    boolean hasBucket(String bucket) {
        return buckets.contains(bucket);
    }

    /** Keys of a bucket under a prefix, for assertions. */
    java.util.List<String> keys(String bucket, String prefix) {
        return objects.keySet().stream().filter(k -> k.startsWith(bucket + "/" + prefix))
                .map(k -> k.substring(bucket.length() + 1)).sorted().toList();
    }

    private void requireBucket(String bucket) {
        if (!buckets.contains(bucket)) {
            throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist");
        }
    }

    /**
     * The payload of a request body the SDK sent {@code aws-chunked} (with checksum trailers, the SDK's default for
     * PutObject): {@code <hex size>[;chunk-signature=...]\r\n<bytes>\r\n} ... {@code 0...\r\n<trailers>\r\n}.
     */
    static byte[] decodeAwsChunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int i = 0;
        while (i < body.length) {
            int eol = indexOfCrLf(body, i);
            if (eol < 0) {
                break;
            }
            String header = new String(body, i, eol - i, StandardCharsets.US_ASCII);
            int semicolon = header.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? header : header.substring(0, semicolon)).trim(), 16);
            i = eol + 2;
            if (size == 0) {
                break;
            }
            out.write(body, i, size);
            i += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrLf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
