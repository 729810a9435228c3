package io.tessera.datasets;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Downloads one file from the first of several mirrors that delivers it intact: complete (as long as its
 * {@code Content-Length} says) and with the expected MD5 of its uncompressed contents. The body goes to a temporary
 * file beside the target, which is renamed onto the target atomically only once checked, so a target never exists
 * half-written, and two processes downloading the same file do not disturb each other.
 *
 * <p>A mirror fails when it cannot be connected to within the connect timeout, sends nothing for the read timeout,
 * answers other than 200, breaks off, or delivers other bytes; the next is then tried. Thread-safe.
 */
public final class Downloader {
    /** How long to wait for a connection unless stated otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
    /** How long a download may go without receiving a byte unless stated otherwise. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    private static final System.Logger LOG = System.getLogger(Downloader.class.getName());

    private final HttpClient client;
    private final Duration readTimeout;

    /** With the default timeouts. */
    public Downloader() {
        this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    public Downloader(Duration connectTimeout, Duration readTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
    }

    /**
     * Downloads {@code fileName} from the mirrors in order into {@code target}. Its folder is created only once a
     * mirror answers with the file, and removed again (with the parents created for it) if that download fails.
     *
     * @param mirrors    base URLs ending in {@code /}
     * @param fileName   the name under each mirror, e.g. {@code train-images-idx3-ubyte.gz}
     * @param contentMd5 the MD5 of the file's uncompressed contents (of the file itself if it is not gzip)
     * @throws DownloadException     when every mirror failed, listing each failure
     * @throws InterruptedIOException when the calling thread is interrupted
     */
    public void download(List<URI> mirrors, String fileName, String contentMd5, Path target) throws IOException {
        List<String> failures = new ArrayList<>();
        for (URI mirror : mirrors) {
            URI uri = mirror.resolve(fileName);
            LOG.log(Level.INFO, "downloading {0} to {1}", uri, target);
            try {
                fetch(uri, contentMd5, target);
                LOG.log(Level.INFO, "downloaded {0} ({1} bytes, checksum verified)", target, Files.size(target));
                return;
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "{0} failed: {1}", uri, e.getMessage());
                failures.add(uri + ": " + e.getMessage());
            }
        }
        throw new DownloadException(fileName, failures);
    }

    private void fetch(URI uri, String contentMd5, Path target) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Path firstCreated = firstMissing(folder);
        AtomicReference<Path> part = new AtomicReference<>();
        boolean done = false;
        try {
            AtomicReference<CountingSubscriber> body = new AtomicReference<>();
            HttpResponse.BodyHandler<Path> handler = info -> {
                if (info.statusCode() != 200) {
                    return BodySubscribers.replacing(null);
                }
                try {
                    Files.createDirectories(folder);
                    part.set(Files.createTempFile(folder, target.getFileName() + ".", ".part"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot write into " + folder + ": " + e.getMessage(), e);
                }
                CountingSubscriber counting = new CountingSubscriber(BodySubscribers.ofFile(part.get()));
                body.set(counting);
                return counting;
            };
            long started = System.nanoTime();
            CompletableFuture<HttpResponse<Path>> future = client.sendAsync(HttpRequest.newBuilder(uri).GET().build(), handler);
            HttpResponse<Path> response = await(uri, future, body, started);
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            long received = body.get().bytes();
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            if (length.isPresent() && length.getAsLong() != received) {
                throw new IOException("truncated body: received " + received + " of " + length.getAsLong() + " bytes (Content-Length)");
            }
            String md5 = Checksums.contentMd5(part.get());
            if (!md5.equalsIgnoreCase(contentMd5)) {
                throw new IOException("checksum mismatch: the " + received + " bytes received have content MD5 " + md5 + ", expected "
                        + contentMd5);
            }
            Files.move(part.get(), target, StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } finally {
            if (part.get() != null) {
                Files.deleteIfExists(part.get());
            }
            if (!done && firstCreated != null) {
                removeEmpty(folder, firstCreated);
            }
        }
    }

    /** The outermost of {@code folder} and its parents that does not exist yet, or null if {@code folder} exists. */
    private static Path firstMissing(Path folder) {
        Path missing = null;
        for (Path p = folder; p != null && !Files.exists(p); p = p.getParent()) {
            missing = p;
        }
        return missing;
    }

    /** Deletes {@code folder} and its parents up to {@code top}, as long as they are empty: what a failed fetch made. */
    private static void removeEmpty(Path folder, Path top) {
        for (Path p = folder; p != null && p.startsWith(top); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return;
            }
        }
    }

    private HttpResponse<Path> await(URI uri, CompletableFuture<HttpResponse<Path>> future,
                                     AtomicReference<CountingSubscriber> body, long started) throws IOException {
        long pollMs = Math.max(10, Math.min(200, readTimeout.toMillis() / 4));
        while (true) {
            try {
                return future.get(pollMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                CountingSubscriber counting = body.get();
                long lastProgress = counting == null ? started : Math.max(started, counting.lastProgressNanos());
                if (System.nanoTime() - lastProgress > readTimeout.toNanos()) {
                    future.cancel(true);
                    long bytes = counting == null ? 0 : counting.bytes();
                    throw new IOException("no data for " + readTimeout.toSeconds() + " s " + (counting == null
                            ? "waiting for a response" : "after " + bytes + " bytes of the body") + " (read timeout)");
                }
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while downloading");
            } catch (ExecutionException | CancellationException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                CountingSubscriber counting = body.get();
                if (cause instanceof HttpConnectTimeoutException) {
                    throw new IOException("no connection within the connect timeout (" + describe(cause) + ")", cause);
                }
                if (cause instanceof ConnectException) {
                    throw new IOException("cannot connect to " + uri.getHost() + ":" + port(uri) + " (" + describe(cause) + ")", cause);
                }
                String where = counting == null ? "" : "broke off after " + counting.bytes() + " bytes of the body: ";
                throw new IOException(where + describe(cause), cause);
            }
        }
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        String type = t.getClass().getSimpleName();
        if (message == null && t.getCause() != null && t.getCause() != t) {
            return type + ": " + describe(t.getCause());
        }
        return message == null ? type : message + " (" + type + ")";
    }

    /** Passes the body on to a file while counting bytes and noting when the last ones came. */
    private static final class CountingSubscriber implements BodySubscriber<Path> {
        private final BodySubscriber<Path> delegate;
        private final AtomicLong bytes = new AtomicLong();
        private volatile long lastProgressNanos = System.nanoTime();

        CountingSubscriber(BodySubscriber<Path> delegate) {
            this.delegate = delegate;
        }

        long bytes() {
            return bytes.get();
        }

        long lastProgressNanos() {
            return lastProgressNanos;
        }

        @Override
        public CompletionStage<Path> getBody() {
            return delegate.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            delegate.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            long n = 0;
            for (ByteBuffer b : items) {
                n += b.remaining();
            }
            bytes.addAndGet(n);
            lastProgressNanos = System.nanoTime();
            delegate.onNext(items);
        }

        @Override
        public void onError(Throwable throwable) {
            delegate.onError(throwable);
        }

        @Override
        public void onComplete() {
            delegate.onComplete();
        }
    }
}
