package io.tessera.bench;

import io.tessera.parallel.SocketAllReduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Time of one {@link SocketAllReduce} sum between members in this process over loopback TCP, by array size: the
 * measured point the scaling model in docs/distributed.md is checked against.
 *
 * <pre>{@code java -cp bench/target/benchmarks.jar io.tessera.bench.AllReduceBench [members] }</pre>
 */
public final class AllReduceBench {
    private AllReduceBench() {
    }

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int[] sizes = {25_452, 1_199_884, 3 * 1_199_882};
        String[] names = {"MLP gradients (25,450 + 2)", "CNN gradients (1,199,882 + 2)", "CNN params + Adam moments"};
        List<SocketAllReduce> group = connect(members);
        System.out.printf(Locale.ROOT, "%d members, loopback TCP%n", members);
        for (int s = 0; s < sizes.length; s++) {
            int n = sizes[s];
            int rounds = Math.max(20, 40_000_000 / n);
            time(group, n, rounds / 4);
            double ms = time(group, n, rounds);
            double wire = 2.0 * (members - 1) / members * n * 4;
            System.out.printf(Locale.ROOT, "%-32s %,12d bytes: %8.3f ms per sum, %7.1f MB/s on the wire per member%n", names[s], 4L * n, ms,
                    wire / (ms / 1e3) / 1e6);
        }
        for (SocketAllReduce m : group) {
            m.close();
        }
    }

    private static List<SocketAllReduce> connect(int members) throws Exception {
        List<CompletableFuture<SocketAllReduce>> futures = new ArrayList<>();
        String[] addresses = new String[members];
        java.util.concurrent.CyclicBarrier swapped = new java.util.concurrent.CyclicBarrier(members);
        for (int r = 0; r < members; r++) {
            int rank = r;
            futures.add(CompletableFuture.supplyAsync(() -> SocketAllReduce.connect(rank, members, "127.0.0.1", me -> {
                addresses[rank] = me;
                try {
                    swapped.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return addresses.clone();
            }), runnable -> new Thread(runnable).start()));
        }
        List<SocketAllReduce> group = new ArrayList<>();
        for (CompletableFuture<SocketAllReduce> f : futures) {
            group.add(f.get());
        }
        return group;
    }

    private static double time(List<SocketAllReduce> group, int n, int rounds) throws Exception {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (SocketAllReduce member : group) {
            running.add(CompletableFuture.runAsync(() -> {
                float[] values = new float[n];
                for (int i = 0; i < rounds; i++) {
                    member.sum(values);
                }
            }, runnable -> new Thread(runnable).start()));
        }
        for (CompletableFuture<Void> f : running) {
            f.get();
        }
        return (System.nanoTime() - start) / 1e6 / rounds;
    }
}
