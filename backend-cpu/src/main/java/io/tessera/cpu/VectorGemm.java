package io.tessera.cpu;

import java.util.concurrent.CountDownLatch;

/**
 * GEMM on the JDK Vector API, blocked for the caches as in Goto's algorithm: C is walked in blocks of
 * {@value #NC} columns and {@value #MC} rows, k in even slices of at most {@value #KC} ({@value #KC_SMALL} on the
 * small paths); B's slice and A's block are
 * packed into panels (transposes are handled there) that {@link VectorKernel} reads with constant strides. Edge
 * panels are zero-padded, and edge tiles go through a small buffer. Two paths skip packing for the small products
 * of training: a narrow C (at most {@link VectorNarrowKernel#NW} columns, A not transposed: a small layer's forward
 * pass) broadcasts A's rows in place ({@link VectorNarrowKernel}); a product with few rows and B not transposed (the
 * weight gradient {@code G^T X} of a small layer) reads B in place. Products of at least {@link #PARALLEL_WORK} multiply-adds are split
 * in chunks of rows (or columns, whichever leaves the smaller operand to share) that the backend's
 * {@link CpuThreads} and the calling thread claim one at a time; chunks of rows share one packed B, which the threads
 * pack together first.
 * Loaded only when {@code jdk.incubator.vector} is present.
 */
final class VectorGemm implements Gemm {
    static final int MR = VectorKernel.MR;
    static final int NR = VectorKernel.NR;
    static final int NW = VectorNarrowKernel.NW;
    static final int KC = 512;
    /** k slice of the narrow and direct paths, whose B panel must stay in L1. */
    static final int KC_SMALL = 256;
    static final int MC = 256;
    static final int NC = 4096;
    /**
     * Rows of C up to which a product with B not transposed reads B in place instead of packing it: with few rows,
     * packing B costs more than the strided kernel loses (tuning knob: system property {@code tessera.cpu.directRows};
     * measured: 32 rows gain, 128 and 256 lose).
     */
    static final int DIRECT_ROWS = Integer.getInteger("tessera.cpu.directRows", 64);
    /** Columns of B per task when the threads of a product pack B together (a multiple of {@link #NR}). */
    static final int PACK_COLUMNS = 4 * NR;
    /** Chunks of C per thread in a multi-threaded product. */
    static final int CHUNKS_PER_THREAD = Integer.getInteger("tessera.cpu.chunksPerThread", 3);
    /**
     * Multiply-adds from which a product is always split over threads (tuning knob: {@code tessera.cpu.parallelWork}):
     * 2^23, the 128x784x128 product and up (B packed once for all, 45 -> 64 GFLOP/s mean here).
     */
    static final long PARALLEL_WORK = Long.getLong("tessera.cpu.parallelWork", 1L << 23);
    /**
     * Multiply-adds from which a {@link SplitChooser} decides from measured times whether a product smaller than
     * {@link #PARALLEL_WORK} is split (tuning knob: {@code tessera.cpu.adaptiveWork}): 2^21, so the tutorial MLP's
     * 3.2 M products split when a core is free (1.5x faster alone) and stay on the caller when the data loader's thread
     * keeps the other core busy (split, the epoch took 10 % longer); below it, splitting costs more than it saves.
     */
    static final long ADAPTIVE_WORK = Long.getLong("tessera.cpu.adaptiveWork", 1L << 21);

    private final CpuThreads threads;
    private final long parallelWork;
    private final int kc;
    private final int mc;
    /** Work from which products are split when their chooser says so: {@link #ADAPTIVE_WORK}, at most parallelWork. */
    private final long adaptiveWork;
    /** Choosers for the products between adaptiveWork and parallelWork, by size (powers of two) and transposes. */
    private final SplitChooser[] choosers;
    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);
    /** The packed B that a multi-threaded product's threads share, kept by the thread that issued the product. */
    private final ThreadLocal<Workspace> sharedB = ThreadLocal.withInitial(Workspace::new);

    /** On its own threads (tests and benchmarks). */
    VectorGemm(int threads) {
        this(new CpuThreads(threads), PARALLEL_WORK, KC, MC);
    }

    /** Splitting products over the backend's threads. */
    VectorGemm(CpuThreads threads) {
        this(threads, PARALLEL_WORK, KC, MC);
    }

    /** With the multiply-adds from which a product is split over threads given (tests split even small products). */
    VectorGemm(int threads, long parallelWork) {
        this(new CpuThreads(threads), parallelWork, KC, MC);
    }

    /** With the blocked path's k slice and row block given (tests that cross many blocks, tuning experiments). */
    VectorGemm(CpuThreads threads, long parallelWork, int kc, int mc) {
        if (VectorKernel.L < 4) {
            throw new UnsupportedOperationException("the preferred float vector has " + VectorKernel.L + " lanes");
        }
        if (kc < 1 || mc < MR) {
            throw new IllegalArgumentException("kc must be at least 1 and mc at least " + MR + ": " + kc + ", " + mc);
        }
        this.threads = threads;
        this.parallelWork = parallelWork;
        this.kc = kc;
        this.mc = mc;
        this.adaptiveWork = Math.min(ADAPTIVE_WORK, parallelWork);
        int sizes = Math.max(1, log2(parallelWork) - log2(adaptiveWork));
        this.choosers = new SplitChooser[4 * sizes];
        for (int i = 0; i < choosers.length; i++) {
            choosers[i] = new SplitChooser();
        }
    }

    private static int log2(long x) {
        return 63 - Long.numberOfLeadingZeros(x);
    }

    @Override
    public String name() {
        return "Vector API " + VectorKernel.S.vectorBitSize() + "-bit, " + MR + "x" + NR + " micro-kernel, "
                + threads.threads() + (threads.threads() == 1 ? " thread" : " threads");
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            GemmPack.scale(c, 0, m, n, beta);
            return;
        }
        long work = (long) m * n * k;
        if (!threads.parallel() || work < adaptiveWork) {
            serial(transA, transB, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
        } else if (work >= parallelWork) {
            parallel(transA, transB, m, n, k, alpha, a, b, beta, c);
        } else {
            SplitChooser chooser = chooser(transA, transB, work);
            boolean split = chooser.split();
            long start = System.nanoTime();
            if (split) {
                parallel(transA, transB, m, n, k, alpha, a, b, beta, c);
            } else {
                serial(transA, transB, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
            }
            chooser.record(split, System.nanoTime() - start, work);
        }
    }

    private SplitChooser chooser(boolean transA, boolean transB, long work) {
        int size = Math.min(choosers.length / 4 - 1, log2(work) - log2(adaptiveWork));
        return choosers[4 * size + (transA ? 2 : 0) + (transB ? 1 : 0)];
    }

    @Override
    public void serial(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, float[] b,
                       int bOff, float beta, float[] c, int cOff) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            GemmPack.scale(c, cOff, m, n, beta);
            return;
        }
        Workspace ws = workspaces.get();
        try {
            block(ws.job.set(transA, transB, m, n, k, alpha, a, b, beta, c).blocking(kc, mc).offsets(aOff, bOff, cOff).range(0, m, 0, n), ws);
        } finally {
            ws.job.clear();
        }
    }

    /**
     * Splits C into a few chunks per thread (by rows, so that each chunk packs only its own rows of A, unless C has
     * too few rows) that the caller and the backend's threads claim one at a time ({@link CpuThreads#run}): when the
     * other cores are busy, the caller computes the chunks nobody took instead of waiting for a thread to start. When
     * the chunks share one packed B, pack tasks come first.
     */
    private void parallel(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                          float beta, float[] c) {
        boolean narrow = narrow(transA, n);
        // Every chunk packs the operand the chunks share again (all of B when split by rows, all of A by columns), so
        // split the dimension that leaves the smaller operand shared, if it has a panel per thread.
        int t = threads.threads();
        // A product the serial path reads B in place for is split by columns, so that every chunk takes that path too
        // (row chunks slice k differently): split or not, each element of C is computed the same way, bit for bit.
        boolean direct = !narrow && !transB && m <= DIRECT_ROWS && spreadsOverCache(n, k);
        boolean byRows = narrow || (!direct && (n <= m ? m >= t * MR : n < t * NR));
        int extent = byRows ? m : n;
        int unit = byRows ? (narrow ? 2 : MR) : NR;
        int units = (extent + unit - 1) / unit;
        int chunks = Math.min(units, CHUNKS_PER_THREAD * t);
        int chunk = (units + chunks - 1) / chunks * unit;
        // Split by rows, all chunks read the same packed B: pack it once, all threads together, before any computes.
        float[] shared = null;
        if (narrow && !inPlaceNarrowB(!transB, n)) {
            shared = sharedB.get().b(k * NW);
        } else if (byRows && !narrow && n <= NC) {
            shared = sharedB.get().b(k * ((n + NR - 1) / NR * NR));
        }
        SplitProduct product = new SplitProduct(transA, transB, m, n, k, alpha, a, b, beta, c, byRows, narrow, chunk,
                (extent + chunk - 1) / chunk, shared);
        threads.run(product.packTasks + product.count, product::task);
    }

    /** One multi-threaded product: its operands, its chunks of C and, when the chunks share one, its packed B. */
    private final class SplitProduct {
        private final boolean transA;
        private final boolean transB;
        private final int m;
        private final int n;
        private final int k;
        private final float alpha;
        private final float beta;
        private final float[] a;
        private final float[] b;
        private final float[] c;
        private final boolean byRows;
        private final boolean narrow;
        private final int chunk;
        final int count;
        /** B packed by all threads before any chunk is computed, or null when each chunk packs its own. */
        private final float[] shared;
        private final int kStep;
        private final int groups;
        final int packTasks;
        private final CountDownLatch packed;

        SplitProduct(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b, float beta,
                     float[] c, boolean byRows, boolean narrow, int chunk, int count, float[] shared) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.b = b;
            this.beta = beta;
            this.c = c;
            this.byRows = byRows;
            this.narrow = narrow;
            this.chunk = chunk;
            this.count = count;
            this.shared = shared;
            this.kStep = kStep(k, kc);
            this.groups = narrow ? 1 : (n + PACK_COLUMNS - 1) / PACK_COLUMNS;
            this.packTasks = shared == null ? 0 : (k + kStep - 1) / kStep * groups;
            this.packed = new CountDownLatch(packTasks);
        }

        /**
         * Task {@code t}: the pack tasks come first, then the chunks, which wait until B is packed. Tasks are claimed
         * in order, so every pack task is running somewhere by the time a chunk waits for it.
         */
        void task(int t) {
            if (t < packTasks) {
                try {
                    pack(t);
                } finally {
                    packed.countDown();
                }
            } else {
                WorkerCrew.await(packed);
                chunk(t - packTasks);
            }
        }

        /** Pack task {@code t}: a group of {@link #PACK_COLUMNS} columns of one k slice of B (all its columns when narrow). */
        private void pack(int t) {
            Workspace ws = workspaces.get();
            try {
                Job job = ws.job.set(transA, transB, m, n, k, alpha, a, b, beta, c).blocking(kc, mc);
                int pc = t / groups * kStep;
                int depth = Math.min(kStep, k - pc);
                if (narrow) {
                    GemmPack.packB(job.b, pc * job.brs, job.brs, job.bcs, depth, n, NW, shared, pc * NW);
                    return;
                }
                int j0 = t % groups * PACK_COLUMNS;
                int nPad = (n + NR - 1) / NR * NR;
                packB(job, pc * job.brs + j0 * job.bcs, depth, Math.min(PACK_COLUMNS, n - j0), shared, pc * nPad + j0 * depth);
            } finally {
                ws.job.clear();
            }
        }

        /** Chunk {@code i} of C's rows or columns. */
        private void chunk(int i) {
            Workspace ws = workspaces.get();
            try {
                int lo = i * chunk;
                Job job = ws.job.set(transA, transB, m, n, k, alpha, a, b, beta, c).blocking(kc, mc);
                if (byRows) {
                    job.range(lo, Math.min(m, lo + chunk), 0, n);
                } else {
                    job.range(0, m, lo, Math.min(n, lo + chunk));
                }
                if (narrow) {
                    narrowBlock(job, ws, shared);
                } else if (shared != null) {
                    sharedBlock(job, ws, shared, kStep);
                } else {
                    block(job, ws);
                }
            } finally {
                ws.job.clear();
            }
        }
    }

    /** Whether C is narrow enough for {@link VectorNarrowKernel}, with A read in place. */
    static boolean narrow(boolean transA, int n) {
        return !transA && n <= NW;
    }

    /**
     * Whether the direct path's B strip (16 columns of up to {@value #KC_SMALL} rows, {@code ldb} floats apart) stays
     * in the L1 cache: with a row stride of an even number of 64-byte lines the rows fall into a fraction of the
     * sets and evict each other, unless B's whole k slice is small (measured: the 64x9216x128 product, B rows 36 KiB
     * apart, 5.0 ms in place vs 3.2 ms packed; 576-float rows no faster in place than packed).
     */
    static boolean spreadsOverCache(int ldb, int k) {
        return ldb % 32 != 0 || (long) Math.min(k, KC_SMALL) * ldb <= 4096;
    }

    /** k in slices of at most {@code max}, as even as possible. */
    static int kStep(int k, int max) {
        int slices = (k + max - 1) / max;
        return (k + slices - 1) / slices;
    }

    /** One thread's share of C: rows {@code [i0, i1)}, columns {@code [j0, j1)}. */
    static void block(Job job, Workspace ws) {
        if (job.acs == 1 && job.n <= NW) {
            narrowBlock(job, ws, null);
            return;
        }
        if (job.bcs == 1 && job.i1 - job.i0 <= DIRECT_ROWS && spreadsOverCache(job.brs, job.k)) {
            directBlock(job, ws);
            return;
        }
        int kStep = kStep(job.k, job.kcMax);
        for (int jc = job.j0; jc < job.j1; jc += NC) {
            int nc = Math.min(NC, job.j1 - jc);
            for (int pc = 0; pc < job.k; pc += kStep) {
                int kc = Math.min(kStep, job.k - pc);
                float beta = pc == 0 ? job.beta : 1f;
                int bOff = job.bOff + pc * job.brs + jc * job.bcs;
                float[] bPack = ws.b(kc * ((nc + NR - 1) / NR * NR));
                packB(job, bOff, kc, nc, bPack, 0);
                for (int ic = job.i0; ic < job.i1; ic += job.mcMax) {
                    int mc = Math.min(job.mcMax, job.i1 - ic);
                    packA(job, job.aOff + ic * job.ars + pc * job.acs, mc, kc, ws.a(kc * ((mc + MR - 1) / MR * MR)));
                    macro(job, ws, bPack, 0, ic, mc, jc, nc, kc, beta);
                }
            }
        }
    }

    /**
     * C's rows {@code [i0, i1)} on the narrow path. B is read in place when it already has the panel's layout (not
     * transposed, exactly {@link #NW} columns), else from {@code packedB} (all of k, row {@code p} at
     * {@code p * NW}) when the threads of a product packed it together, else packed here one k slice at a time.
     */
    private static void narrowBlock(Job job, Workspace ws, float[] packedB) {
        int n = job.n;
        int lda = job.ars;
        float[] tile = ws.tile;
        boolean inPlace = inPlaceNarrowB(job.bcs == 1, n);
        int kStep = kStep(job.k, KC_SMALL);
        for (int pc = 0; pc < job.k; pc += kStep) {
            int kc = Math.min(kStep, job.k - pc);
            float beta = pc == 0 ? job.beta : 1f;
            float[] bs;
            int bOff;
            if (inPlace) {
                bs = job.b;
                bOff = job.bOff + pc * NW;
            } else if (packedB != null) {
                bs = packedB;
                bOff = pc * NW;
            } else {
                bs = ws.b(kc * NW);
                bOff = 0;
                GemmPack.packB(job.b, job.bOff + pc * job.brs, job.brs, job.bcs, kc, n, NW, bs, 0);
            }
            int i = job.i0;
            for (; i + 2 <= job.i1; i += 2) {
                if (n == NW) {
                    VectorNarrowKernel.narrow2(kc, job.a, job.aOff + i * lda + pc, lda, bs, bOff, job.c, job.cOff + i * n, n, job.alpha, beta);
                } else {
                    VectorNarrowKernel.narrow2(kc, job.a, job.aOff + i * lda + pc, lda, bs, bOff, tile, 0, NW, 1f, 0f);
                    GemmPack.storeTile(tile, NW, 2, n, job.c, job.cOff + i * n, n, job.alpha, beta);
                }
            }
            if (i < job.i1) {
                VectorNarrowKernel.narrow1(kc, job.a, job.aOff + i * lda + pc, lda, bs, bOff, tile, 0, NW, 1f, 0f);
                GemmPack.storeTile(tile, NW, 1, n, job.c, job.cOff + i * n, n, job.alpha, beta);
            }
        }
    }

    /** Whether B, not transposed ({@code rowMajor}) and {@code n} columns wide, already lies as the narrow panel. */
    static boolean inPlaceNarrowB(boolean rowMajor, int n) {
        return rowMajor && n == NW;
    }

    /** C's block of a small product with B not transposed: A packed, B read where it lies (only its edge packed). */
    private static void directBlock(Job job, Workspace ws) {
        int n = job.n;
        int ldb = job.brs;
        int rows = job.i1 - job.i0;
        float[] tile = ws.tile;
        int kStep = kStep(job.k, KC_SMALL);
        int fullCols = job.j0 + (job.j1 - job.j0) / NR * NR;
        for (int pc = 0; pc < job.k; pc += kStep) {
            int kc = Math.min(kStep, job.k - pc);
            float beta = pc == 0 ? job.beta : 1f;
            float[] aPack = ws.a(kc * ((rows + MR - 1) / MR * MR));
            packA(job, job.aOff + job.i0 * job.ars + pc * job.acs, rows, kc, aPack);
            if (fullCols < job.j1) {
                GemmPack.packB(job.b, job.bOff + pc * ldb + fullCols, ldb, 1, kc, job.j1 - fullCols, NR, ws.b(kc * NR), 0);
            }
            for (int j = job.j0; j < job.j1; j += NR) {
                boolean fullJ = j < fullCols;
                float[] bs = fullJ ? job.b : ws.bPack;
                int bOff = fullJ ? job.bOff + pc * ldb + j : 0;
                int bStride = fullJ ? ldb : NR;
                int nr = Math.min(NR, job.j1 - j);
                for (int ir = 0; ir < rows; ir += MR) {
                    int mr = Math.min(MR, rows - ir);
                    int cOff = job.cOff + (job.i0 + ir) * n + j;
                    if (fullJ && mr == MR) {
                        VectorKernel.strided(kc, aPack, ir * kc, bs, bOff, bStride, job.c, cOff, n, job.alpha, beta);
                    } else {
                        VectorKernel.strided(kc, aPack, ir * kc, bs, bOff, bStride, tile, 0, NR, 1f, 0f);
                        GemmPack.storeTile(tile, NR, mr, nr, job.c, cOff, n, job.alpha, beta);
                    }
                }
            }
        }
    }

    private static void packA(Job job, int aOff, int rows, int kc, float[] aPack) {
        if (job.acs == 1) {
            VectorKernel.packRowsA(job.a, aOff, job.ars, rows, kc, aPack);
        } else {
            GemmPack.packA(job.a, aOff, job.ars, job.acs, rows, kc, MR, aPack, 0);
        }
    }

    /** Columns {@code [0, cols)} of rows {@code [0, kc)} of B from {@code bOff} into panels at {@code dst[dstOff]}. */
    private static void packB(Job job, int bOff, int kc, int cols, float[] dst, int dstOff) {
        if (job.bcs == 1) {
            VectorKernel.packRows(job.b, bOff, job.brs, kc, cols, dst, dstOff);
        } else {
            GemmPack.packB(job.b, bOff, job.brs, job.bcs, kc, cols, NR, dst, dstOff);
        }
    }

    /**
     * Rows {@code [i0, i1)} of C against a B packed beforehand, by all threads together, into {@code shared}: slice
     * {@code s} of k at {@code s * kStep * (panels of n) * NR}, as {@link #block} packs one slice.
     */
    static void sharedBlock(Job job, Workspace ws, float[] shared, int kStep) {
        int nPad = (job.n + NR - 1) / NR * NR;
        for (int pc = 0, s = 0; pc < job.k; pc += kStep, s++) {
            int kc = Math.min(kStep, job.k - pc);
            float beta = pc == 0 ? job.beta : 1f;
            for (int ic = job.i0; ic < job.i1; ic += job.mcMax) {
                int mc = Math.min(job.mcMax, job.i1 - ic);
                packA(job, job.aOff + ic * job.ars + pc * job.acs, mc, kc, ws.a(kc * ((mc + MR - 1) / MR * MR)));
                macro(job, ws, shared, s * kStep * nPad, ic, mc, 0, job.n, kc, beta);
            }
        }
    }

    private static void macro(Job job, Workspace ws, float[] bPack, int bBase, int ic, int mc, int jc, int nc, int kc, float beta) {
        float[] tile = ws.tile;
        float[] aPack = ws.aPack;
        int ldc = job.n;
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int cOff = job.cOff + (ic + ir) * ldc + jc + jr;
                if (mr == MR && nr == NR) {
                    VectorKernel.kernel(kc, aPack, ir * kc, bPack, bBase + jr * kc, job.c, cOff, ldc, job.alpha, beta);
                } else {
                    VectorKernel.kernel(kc, aPack, ir * kc, bPack, bBase + jr * kc, tile, 0, NR, 1f, 0f);
                    GemmPack.storeTile(tile, NR, mr, nr, job.c, cOff, ldc, job.alpha, beta);
                }
            }
        }
    }

    /** The operands of one call and the part of C one thread computes. Reused across calls. */
    static final class Job {
        float[] a;
        float[] b;
        float[] c;
        int aOff;
        int bOff;
        int cOff;
        int ars;
        int acs;
        int brs;
        int bcs;
        int n;
        int k;
        float alpha;
        float beta;
        int i0;
        int i1;
        int j0;
        int j1;
        int kcMax = KC;
        int mcMax = MC;

        Job set(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
            this.a = a;
            this.b = b;
            this.c = c;
            this.ars = transA ? 1 : k;
            this.acs = transA ? m : 1;
            this.brs = transB ? 1 : n;
            this.bcs = transB ? k : 1;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            this.aOff = 0;
            this.bOff = 0;
            this.cOff = 0;
            return this;
        }

        Job blocking(int kcMax, int mcMax) {
            this.kcMax = kcMax;
            this.mcMax = mcMax;
            return this;
        }

        Job offsets(int aOff, int bOff, int cOff) {
            this.aOff = aOff;
            this.bOff = bOff;
            this.cOff = cOff;
            return this;
        }

        Job range(int i0, int i1, int j0, int j1) {
            this.i0 = i0;
            this.i1 = i1;
            this.j0 = j0;
            this.j1 = j1;
            return this;
        }

        void clear() {
            a = null;
            b = null;
            c = null;
        }
    }

    /** A thread's packing buffers, grown on demand and kept, so steady-state calls allocate nothing. */
    static final class Workspace {
        final Job job = new Job();
        final float[] tile = new float[Math.max(MR * NR, 2 * NW)];
        float[] aPack = new float[0];
        float[] bPack = new float[0];

        float[] a(int size) {
            if (aPack.length < size) {
                aPack = new float[size];
            }
            return aPack;
        }

        float[] b(int size) {
            if (bPack.length < size) {
                bPack = new float[size];
            }
            return bPack;
        }
    }
}
