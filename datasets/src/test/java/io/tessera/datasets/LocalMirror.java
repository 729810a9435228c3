package io.tessera.datasets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A mirror on the loopback interface that serves, breaks off or stalls files, as a test tells it to. */
final class LocalMirror implements AutoCloseable {
    private enum Mode { SERVE, TRUNCATE, STALL }

    private record Entry(byte[] bytes, Mode mode) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, Entry> files = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    LocalMirror() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The base URL, ending in {@code /}. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data/");
    }

    LocalMirror serve(String name, byte[] bytes) {
        files.put(name, new Entry(bytes, Mode.SERVE));
        return this;
    }

    /** Promises all the bytes in Content-Length, sends half and closes the connection. */
    LocalMirror truncate(String name, byte[] bytes) {
        files.put(name, new Entry(bytes, Mode.TRUNCATE));
        return this;
    }

    /** Sends the headers and a few bytes, then nothing until the mirror closes. */
    LocalMirror stall(String name, byte[] bytes) {
        files.put(name, new Entry(bytes, Mode.STALL));
        return this;
    }

    int requests() {
        return requests.get();
    }

    /** A base URL on which nothing listens. */
    static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/data/");
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getPath();
        Entry entry = path.startsWith("/data/") ? files.get(path.substring("/data/".length())) : null;
        try (exchange) {
            if (entry == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.sendResponseHeaders(200, entry.bytes.length);
            OutputStream out = exchange.getResponseBody();
            switch (entry.mode) {
                case SERVE -> out.write(entry.bytes);
                case TRUNCATE -> {
                    out.write(entry.bytes, 0, entry.bytes.length / 2);
                    out.flush();
                }
                case STALL -> {
                    out.write(entry.bytes, 0, 4);
                    out.flush();
                    release.await(30, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException expected) {
            // a truncated or stalled body ends with the exchange failing: that is the point
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
