package tally.store;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The S3 calls the store makes, on one bucket, and the one place where their failures are sorted:
 * the answers a caller expects (404 missing, 412 a condition failed, 409 a concurrent conditional
 * write) come back as values; anything else, after the SDK's standard retries (3 attempts with
 * backoff on throttling, 5xx and connection errors), is a {@link StoreUnavailableException} and
 * makes {@link #problem} say why until a call succeeds again.
 */
final class S3Objects implements AutoCloseable {
    /** An object read whole, with what S3 says about it. */
    record Stored(byte[] bytes, String etag, Map<String, String> metadata, Instant lastModified) {
    }

    /** A listed object. */
    record Listed(String key, Instant lastModified, long size) {
    }

    /** A multipart upload left open. */
    record OpenUpload(String key, String uploadId, Instant initiated) {
    }

    private final S3Client s3;
    private final String bucket;
    private final String where;
    /** AWS checks a CRC32 of every part; emulators that reject flexible checksums get none. */
    private final boolean checksums;
    private volatile String problem;

    S3Objects(S3Client s3, String bucket, boolean checksums) {
        this.s3 = s3;
        this.bucket = bucket;
        this.where = "s3://" + bucket;
        this.checksums = checksums;
    }

    /** A client for the bucket (see {@link S3Clients#create}); checksums on AWS only. */
    static S3Objects connect(String bucket, URI endpoint) {
        return new S3Objects(S3Clients.create(endpoint), bucket, endpoint == null);
    }

    /** Why the store is unusable, as of the last call; null while calls succeed. */
    String problem() {
        return problem;
    }

    String where() {
        return where;
    }

    private <T> T call(String what, Supplier<T> op) {
        try {
            T result = op.get();
            problem = null;
            return result;
        } catch (SdkException e) {
            String why = where + " " + (e instanceof S3Exception s ? "answered " + s.statusCode() + " to " + what + ": "
                    + s.awsErrorDetails().errorMessage() : "is unreachable (" + what + "): " + e.getMessage());
            String message = "the dataset store " + why;
            problem = message;
            throw new StoreUnavailableException(message, e);
        }
    }

    private void run(String what, Runnable op) {
        call(what, () -> {
            op.run();
            return null;
        });
    }

    private static boolean is(S3Exception e, int... statuses) {
        for (int status : statuses) {
            if (e.statusCode() == status) {
                return true;
            }
        }
        return false;
    }

    /** The whole object, or null if there is none. */
    Stored get(String key) {
        return call("GET " + key, () -> {
            try {
                ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
                GetObjectResponse r = got.response();
                return new Stored(got.asByteArray(), r.eTag(), r.metadata(), r.lastModified());
            } catch (S3Exception e) {
                if (is(e, 404)) {
                    return null;
                }
                throw e;
            }
        });
    }

    boolean exists(String key) {
        return call("HEAD " + key, () -> {
            try {
                s3.headObject(b -> b.bucket(bucket).key(key));
                return true;
            } catch (S3Exception e) {
                if (is(e, 404)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Streams an object; a missing one is a {@link NoSuchFileException}, as for files. */
    InputStream open(String key) throws NoSuchFileException {
        ResponseInputStream<GetObjectResponse> in = call("GET " + key, () -> {
            try {
                return s3.getObject(b -> b.bucket(bucket).key(key));
            } catch (S3Exception e) {
                if (is(e, 404)) {
                    return null;
                }
                throw e;
            }
        });
        if (in == null) {
            throw new NoSuchFileException(where + "/" + key);
        }
        return in;
    }

    /** Writes the object; returns its ETag. */
    String put(String key, byte[] bytes, Map<String, String> metadata) {
        return call("PUT " + key, () -> s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata),
                RequestBody.fromBytes(bytes)).eTag());
    }

    /** Writes the object only if there is none ({@code If-None-Match: *}); returns its ETag, or null if taken. */
    String putIfAbsent(String key, byte[] bytes, Map<String, String> metadata) {
        return call("PUT " + key, () -> {
            try {
                return s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata).ifNoneMatch("*"),
                        RequestBody.fromBytes(bytes)).eTag();
            } catch (S3Exception e) {
                // 412: it exists; 409 ConditionalRequestConflict: another conditional write of it is under way.
                if (is(e, 412, 409)) {
                    return null;
                }
                throw e;
            }
        });
    }

    /** Replaces the object only if it is still {@code etag}; returns the new ETag, or null if it changed or went. */
    String putIfMatch(String key, byte[] bytes, Map<String, String> metadata, String etag) {
        return call("PUT " + key, () -> {
            try {
                return s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata).ifMatch(etag),
                        RequestBody.fromBytes(bytes)).eTag();
            } catch (S3Exception e) {
                if (is(e, 412, 409, 404)) {
                    return null;
                }
                throw e;
            }
        });
    }

    void delete(String key) {
        run("DELETE " + key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    /** Deletes the object only if it is still {@code etag}; false if it changed (a missing one counts as deleted). */
    boolean deleteIfMatch(String key, String etag) {
        return call("DELETE " + key, () -> {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(key).ifMatch(etag));
                return true;
            } catch (S3Exception e) {
                if (is(e, 404)) {
                    return true;
                }
                if (is(e, 412, 409)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /**
     * One page of keys under {@code prefix} after {@code startAfter} (null: from the start); returns
     * whether more follow.
     */
    boolean list(String prefix, String startAfter, int maxKeys, Consumer<Listed> each) {
        ListObjectsV2Response page = call("LIST " + prefix, () -> s3.listObjectsV2(b -> b.bucket(bucket)
                .prefix(prefix).startAfter(startAfter).maxKeys(maxKeys)));
        for (S3Object o : page.contents()) {
            each.accept(new Listed(o.key(), o.lastModified(), o.size()));
        }
        return Boolean.TRUE.equals(page.isTruncated());
    }

    /** Every key under {@code prefix}, page after page. */
    void listAll(String prefix, Consumer<Listed> each) {
        String after = null;
        boolean more = true;
        while (more) {
            String[] last = {null};
            more = list(prefix, after, 1000, o -> {
                last[0] = o.key();
                each.accept(o);
            });
            after = last[0];
            more &= after != null;
        }
    }

    String startMultipart(String key) {
        return call("CreateMultipartUpload " + key, () -> s3.createMultipartUpload(b -> {
            b.bucket(bucket).key(key);
            if (checksums) {
                b.checksumAlgorithm(ChecksumAlgorithm.CRC32);
            }
        }).uploadId());
    }

    /** Uploads {@code bytes[0..length)} as part {@code number}; the array is read, never kept or copied. */
    CompletedPart uploadPart(String key, String uploadId, int number, byte[] bytes, int length) {
        return call("UploadPart " + number + " of " + key, () -> {
            UploadPartResponse r = s3.uploadPart(b -> {
                b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number).contentLength((long) length);
                if (checksums) {
                    b.checksumAlgorithm(ChecksumAlgorithm.CRC32);
                }
            }, RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                    "application/octet-stream"));
            return CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumCRC32(r.checksumCRC32()).build();
        });
    }

    void completeMultipart(String key, String uploadId, List<CompletedPart> parts) {
        run("CompleteMultipartUpload " + key, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                .uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
    }

    void abortMultipart(String key, String uploadId) {
        run("AbortMultipartUpload " + key, () -> {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (S3Exception e) {
                if (!is(e, 404)) {
                    throw e;
                }
            }
        });
    }

    /** Every multipart upload left open under {@code prefix}. */
    void listOpenUploads(String prefix, Consumer<OpenUpload> each) {
        String keyMarker = null;
        String idMarker = null;
        while (true) {
            String k = keyMarker;
            String i = idMarker;
            ListMultipartUploadsResponse page = call("ListMultipartUploads " + prefix, () -> s3.listMultipartUploads(
                    b -> b.bucket(bucket).prefix(prefix).keyMarker(k).uploadIdMarker(i)));
            for (MultipartUpload u : page.uploads()) {
                each.accept(new OpenUpload(u.key(), u.uploadId(), u.initiated()));
            }
            if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextKeyMarker() == null) {
                return;
            }
            keyMarker = page.nextKeyMarker();
            idMarker = page.nextUploadIdMarker();
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
