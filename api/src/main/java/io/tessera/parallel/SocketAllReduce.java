package io.tessera.parallel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * An {@link AllReduce} over TCP between processes (Spark tasks on different executors, or any workers that can
 * exchange one string each at start-up). Each member opens a listening socket, the members swap their addresses
 * once through {@code exchange}, and every pair is connected. A sum is a reduce-scatter then an all-gather over that
 * mesh: member {@code r} owns the {@code r}-th of {@code size} chunks, receives that chunk from every peer, adds the
 * copies in rank order (so the total is bit-identical to {@link LocalAllReduce}'s and the same on every member), and
 * sends the total back to every peer. Each member sends and receives {@code 2·(size-1)/size} of the array per sum,
 * as a ring does, in two rounds instead of {@code 2·(size-1)}.
 *
 * <p>A peer that fails closes its sockets and its peers' sums fail with an {@link AllReduceException}; an interrupted
 * member's channels close. One thread uses a member; {@link #close()} closes its sockets and sender threads.
 */
public final class SocketAllReduce implements AllReduce, AutoCloseable {
    private static final int HEADER = 12;
    private static final int MAGIC = 0x54534152;

    private final int rank;
    private final int size;
    private final SocketChannel[] peers;
    private final ExecutorService senders;
    private final ByteBuffer[] outgoing;
    private ByteBuffer incoming = ByteBuffer.allocateDirect(0);
    private int calls;

    private SocketAllReduce(int rank, int size, SocketChannel[] peers) {
        this.rank = rank;
        this.size = size;
        this.peers = peers;
        this.senders = size == 1 ? null : Executors.newFixedThreadPool(size - 1, r -> {
            Thread t = new Thread(r, "tessera-allreduce-send-" + rank);
            t.setDaemon(true);
            return t;
        });
        this.outgoing = new ByteBuffer[size];
    }

    /**
     * Connects member {@code rank} of {@code size}: listens on an ephemeral port, publishes {@code host:port} through
     * {@code exchange} (which returns every member's string, by rank, and must be called by all members), then
     * connects to the lower ranks and accepts the higher ones.
     *
     * @param rank this member's rank
     * @param size the number of members
     * @param host the address the other members reach this one at
     * @param exchange publishes this member's {@code host:port} and returns all of them by rank
     * @return the connected member; close it
     * @throws AllReduceException when a socket cannot be opened or a peer cannot be reached, naming its address
     */
    public static SocketAllReduce connect(int rank, int size, String host, Function<String, String[]> exchange) {
        if (size < 1 || rank < 0 || rank >= size) {
            throw new IllegalArgumentException("rank " + rank + " of a group of " + size);
        }
        SocketChannel[] peers = new SocketChannel[size];
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(0), size);
            String me = host + ":" + ((InetSocketAddress) server.getLocalAddress()).getPort();
            String[] addresses = exchange.apply(me);
            if (addresses.length != size) {
                throw new AllReduceException("the address exchange gave " + addresses.length + " addresses for " + size + " members");
            }
            for (int r = 0; r < rank; r++) {
                peers[r] = open(addresses[r], r);
                ByteBuffer hello = ByteBuffer.allocate(8).putInt(MAGIC).putInt(rank).flip();
                while (hello.hasRemaining()) {
                    peers[r].write(hello);
                }
            }
            for (int accepted = rank + 1; accepted < size; accepted++) {
                SocketChannel c = server.accept();
                c.socket().setTcpNoDelay(true);
                ByteBuffer hello = ByteBuffer.allocate(8);
                readFully(c, hello, "a connecting peer");
                hello.flip();
                int magic = hello.getInt();
                int peer = hello.getInt();
                if (magic != MAGIC || peer <= rank || peer >= size || peers[peer] != null) {
                    c.close();
                    throw new AllReduceException("member " + rank + " was reached by something that is not a peer of this group");
                }
                peers[peer] = c;
            }
            return new SocketAllReduce(rank, size, peers);
        } catch (IOException | RuntimeException e) {
            closeAll(peers);
            if (e instanceof AllReduceException a) {
                throw a;
            }
            throw new AllReduceException("member " + rank + " of " + size + " could not connect its all-reduce: " + e, e);
        }
    }

    private static SocketChannel open(String address, int peer) throws IOException {
        int colon = address.lastIndexOf(':');
        try {
            SocketChannel c = SocketChannel.open(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))));
            c.socket().setTcpNoDelay(true);
            return c;
        } catch (IOException | RuntimeException e) {
            throw new AllReduceException("cannot reach all-reduce member " + peer + " at " + address + ": " + e, e);
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void sum(float[] values) {
        calls++;
        if (size == 1) {
            return;
        }
        int n = values.length;
        int mine = chunk(n, rank);
        int mineFrom = from(n, rank);
        List<Future<?>> sends = new ArrayList<>();
        for (int peer = 0; peer < size; peer++) {
            if (peer != rank) {
                sends.add(send(peer, values, from(n, peer), chunk(n, peer), n));
            }
        }
        float[] total = new float[mine];
        float[][] copies = new float[size][];
        for (int peer = 0; peer < size; peer++) {
            if (peer != rank) {
                copies[peer] = receive(peer, mine, n);
            }
        }
        for (int i = 0; i < mine; i++) {
            float s = rank == 0 ? values[mineFrom + i] : copies[0][i];
            for (int r = 1; r < size; r++) {
                s += r == rank ? values[mineFrom + i] : copies[r][i];
            }
            total[i] = s;
        }
        await(sends);
        System.arraycopy(total, 0, values, mineFrom, mine);
        sends.clear();
        for (int peer = 0; peer < size; peer++) {
            if (peer != rank) {
                sends.add(send(peer, values, mineFrom, mine, n));
            }
        }
        for (int peer = 0; peer < size; peer++) {
            if (peer != rank) {
                float[] part = receive(peer, chunk(n, peer), n);
                System.arraycopy(part, 0, values, from(n, peer), part.length);
            }
        }
        await(sends);
    }

    private int from(int n, int r) {
        return (int) ((long) n * r / size);
    }

    private int chunk(int n, int r) {
        return from(n, r + 1) - from(n, r);
    }

    private Future<?> send(int peer, float[] values, int from, int count, int total) {
        ByteBuffer b = outgoing[peer];
        int bytes = HEADER + 4 * count;
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(Math.max(bytes, 64)).order(ByteOrder.LITTLE_ENDIAN);
            outgoing[peer] = b;
        }
        b.clear();
        b.putInt(calls).putInt(total).putInt(count);
        b.asFloatBuffer().put(values, from, count);
        b.position(0).limit(bytes);
        ByteBuffer message = b;
        return senders.submit(() -> {
            while (message.hasRemaining()) {
                peers[peer].write(message);
            }
            return null;
        });
    }

    private float[] receive(int peer, int count, int total) {
        int bytes = HEADER + 4 * count;
        if (incoming.capacity() < bytes) {
            incoming = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        incoming.clear().limit(bytes);
        try {
            readFully(peers[peer], incoming, "member " + peer);
        } catch (IOException e) {
            throw new AllReduceException("member " + rank + " lost its connection to member " + peer + " in sum " + calls + ": " + e, e);
        }
        incoming.flip();
        int call = incoming.getInt();
        int length = incoming.getInt();
        int got = incoming.getInt();
        if (call != calls || length != total || got != count) {
            throw new AllReduceException("member " + peer + " is out of step with member " + rank + ": its sum " + call + " of " + length
                    + " floats, this member's sum " + calls + " of " + total);
        }
        float[] out = new float[count];
        incoming.asFloatBuffer().get(out);
        return out;
    }

    private static void readFully(SocketChannel c, ByteBuffer into, String who) throws IOException {
        while (into.hasRemaining()) {
            if (c.read(into) < 0) {
                throw new IOException(who + " closed the connection");
            }
        }
    }

    private void await(List<Future<?>> sends) {
        for (Future<?> f : sends) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new AllReduceException("member " + rank + " was interrupted in an all-reduce", e);
            } catch (ExecutionException e) {
                throw new AllReduceException("member " + rank + " could not send to a peer in sum " + calls + ": " + e.getCause(), e.getCause());
            }
        }
    }

    private static void closeAll(SocketChannel[] channels) {
        for (SocketChannel c : channels) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing is best effort: the peer sees the connection end either way
                }
            }
        }
    }

    @Override
    public void close() {
        closeAll(peers);
        if (senders != null) {
            senders.shutdownNow();
        }
    }
}
