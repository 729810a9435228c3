package io.tessera.slide;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.slide.data.SparseBatch;
import io.tessera.slide.lsh.DensifiedWta;
import io.tessera.slide.lsh.HashFamily;
import io.tessera.slide.lsh.LshTables;
import io.tessera.slide.lsh.SimHash;
import io.tessera.slide.random.SplitMix;

import java.util.Arrays;

/**
 * SLIDE's hash-sampled output layer with softmax cross-entropy: {@code classes} neurons of {@code inputs} weights each,
 * stored as contiguous rows ({@code [classes][inputs]}, PyTorch's {@code Linear.weight} layout), hashed into
 * {@link LshTables}. For each training sample the active set is its labels plus the neurons its hidden vector retrieves
 * from the tables (capped at {@link SlideConfig#maxActive()}, keeping those found in the most tables; padded with random
 * neurons to {@link SlideConfig#minActive()}); forward, the softmax over the active set, its loss and backward touch
 * those neurons only, and {@link SparseAdam} updates their rows. The updated neurons are rehashed after
 * {@link SlideConfig#rehashStart()} batches, then at intervals growing by {@link SlideConfig#rehashGrowth()}.
 * With every neuron active (a {@code maxActive} of at least {@code classes}) it computes exactly the dense layer.
 *
 * <p>Samples of a batch run in parallel on {@link Workers}, each with its own scratch; see {@link SlideConfig.Updates}
 * for how gradients meet. Training randomness (padding) is a function of the seed, the step and the sample, so a
 * {@code DETERMINISTIC} run gives the same weights on any number of threads. Exact prediction uses a device's GEMM (the
 * weights are copied to it for the call); the host arrays are the layer's state.
 */
public final class SlideLinear implements OutputLayer {
    private final int inputs;
    private final int classes;
    private final SlideConfig config;
    private final long seed;
    private final float[] weights;
    private final float[] bias;
    private final SparseAdam adam;
    private final LshTables tables;
    private final HashFamily family;
    private final RowGroups groups;
    private final Device scorer;
    private final boolean full;

    private Scratch[] scratch = new Scratch[0];
    private int[] ids = new int[0];
    private float[] coefficients = new float[0];
    private int[] begin = new int[0];
    private int[] end = new int[0];
    private float[] losses = new float[0];
    private float[] gradWeights;
    private float[] gradBias;
    private int[] touchedStamp;
    private int[][] touchedBy = new int[0][];
    private int[] touchedCount = new int[0];

    private final boolean[] dirty;
    private int[] dirtyList = new int[1024];
    private int dirtyCount;
    private int[] codes = new int[0];
    private int step;
    private int sinceRehash;
    private double rehashInterval;
    private int rehashes;
    private long activeTotal;
    private long activeSamples;

    /**
     * A layer initialised as PyTorch's {@code Linear(inputs, classes)} (uniform in {@code ±1/sqrt(inputs)}) from
     * {@code seed}, trained with Adam at {@code lr}; {@code scorer} is the device exact prediction runs on (usually
     * {@code cpu}).
     */
    public SlideLinear(int inputs, int classes, SlideConfig config, double lr, long seed, Device scorer) {
        this(inputs, classes, config, lr, seed, scorer, null, null);
    }

    /** A layer starting from the given weights ({@code [classes][inputs]}) and bias, copied. */
    public static SlideLinear withWeights(float[] weights, float[] bias, SlideConfig config, double lr, long seed, Device scorer) {
        int classes = bias.length;
        if (classes == 0 || weights.length % classes != 0) {
            throw new IllegalArgumentException(weights.length + " weights do not make rows for " + classes + " biases");
        }
        return new SlideLinear(weights.length / classes, classes, config, lr, seed, scorer, weights, bias);
    }

    private SlideLinear(int inputs, int classes, SlideConfig config, double lr, long seed, Device scorer, float[] w, float[] b) {
        if (inputs < 1 || classes < 2 || (long) inputs * classes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a SLIDE layer of " + inputs + " inputs x " + classes
                    + " classes does not fit one array (need at least 2 classes and at most " + (Integer.MAX_VALUE - 8)
                    + " weights)");
        }
        this.inputs = inputs;
        this.classes = classes;
        this.config = config;
        this.seed = seed;
        this.scorer = scorer;
        this.weights = w != null ? w.clone() : new float[inputs * classes];
        this.bias = b != null ? b.clone() : new float[classes];
        if (w == null) {
            float bound = (float) (1.0 / Math.sqrt(inputs));
            Init.uniform(weights, bound, seed);
            Init.uniform(bias, bound, seed ^ 0xB1A5L);
        }
        this.adam = new SparseAdam(classes, inputs, true, SparseAdam.Corrections.PER_ROW, lr, 0.9, 0.999, 1e-8);
        this.groups = new RowGroups(classes);
        this.full = config.maxActive() >= classes;
        this.family = config.hash() == SlideConfig.Hash.SIMHASH
                ? new SimHash(inputs, config.bits(), config.tables(), seed ^ 0x5117L)
                : new DensifiedWta(inputs, config.bits(), config.tables(), Math.min(config.binSize(), Integer.highestOneBit(inputs)),
                        config.bucketBits(), seed ^ 0xD77AL);
        this.tables = full ? null : new LshTables(family, classes, config.bucketSize(), seed ^ 0x7AB1E5L);
        this.dirty = new boolean[classes];
        this.rehashInterval = config.rehashStart();
        if (config.updates() == SlideConfig.Updates.HOGWILD) {
            gradWeights = new float[inputs * classes];
            gradBias = new float[classes];
            touchedStamp = new int[classes];
        }
    }

    /** Hashes every neuron into the tables; done once before training (and by the first {@link #trainBatch}). */
    public void build(Workers workers) {
        if (tables == null) {
            return;
        }
        int[] all = new int[classes];
        for (int i = 0; i < classes; i++) {
            all[i] = i;
        }
        rehash(all, classes, workers);
        built = true;
    }

    private boolean built;

    @Override
    public int inputs() {
        return inputs;
    }

    @Override
    public int classes() {
        return classes;
    }

    public SlideConfig config() {
        return config;
    }

    /** Rehashes done so far (the first build not counted). */
    public int rehashes() {
        return rehashes;
    }

    /** The weights, {@code [classes][inputs]}; a view, valid while no batch is training. */
    public float[] weights() {
        return weights;
    }

    /** The bias; a view. */
    public float[] bias() {
        return bias;
    }

    /** Updates neuron {@code neuron} has had. */
    public int updates(int neuron) {
        return adam.steps(neuron);
    }

    /** The tables, or null when every neuron is active. */
    public LshTables tables() {
        return tables;
    }

    @Override
    public float trainBatch(SparseBatch batch, float[] hidden, float[] gradHidden, Workers workers) {
        return run(batch, hidden, gradHidden, workers, null, null);
    }

    /**
     * The loss and gradients of one batch without an update: {@code gradWeights} ({@code [classes][inputs]}) and
     * {@code gradBias} receive the gradients of the active neurons (the others are left as they are). For tests
     * comparing the layer with a dense one; forces the deterministic summation.
     */
    float gradients(SparseBatch batch, float[] hidden, float[] gradHidden, float[] gradWeights, float[] gradBias, Workers workers) {
        return run(batch, hidden, gradHidden, workers, gradWeights, gradBias);
    }

    private float run(SparseBatch batch, float[] hidden, float[] gradHidden, Workers workers, float[] outW, float[] outB) {
        boolean update = outW == null;
        int n = batch.size();
        if (!built) {
            build(workers);
        }
        int maxLabels = 0;
        int[] lp = batch.labelPointers();
        for (int s = 0; s < n; s++) {
            maxLabels = Math.max(maxLabels, lp[s + 1] - lp[s]);
        }
        int cap = full ? classes : Math.min(classes, Math.max(config.maxActive(), config.minActive()) + maxLabels);
        prepareBatch(n, cap, workers.threads());
        step++;
        adam.prepare(step);
        boolean hogwild = gradWeights != null && update;
        workers.forRanges(n, (w, from, to) -> {
            Scratch sc = scratch[w];
            for (int s = from; s < to; s++) {
                trainSample(batch, s, n, cap, hidden, gradHidden, sc, w, hogwild);
            }
        });
        if (!update) {
            groups.build(n, begin, end, ids, coefficients);
            sumGroups(hidden, workers, (w, j, g, gb) -> {
                System.arraycopy(g, 0, outW, j * inputs, inputs);
                outB[j] = gb;
            });
            step--;
        } else if (hogwild) {
            applyHogwild(workers);
        } else {
            applyGrouped(n, hidden, workers);
        }
        double loss = 0;
        for (int s = 0; s < n; s++) {
            loss += losses[s];
            activeTotal += end[s] - begin[s];
        }
        activeSamples += n;
        if (update && tables != null && ++sinceRehash >= rehashInterval) {
            rehash(dirtyList, dirtyCount, workers);
            for (int i = 0; i < dirtyCount; i++) {
                dirty[dirtyList[i]] = false;
            }
            dirtyCount = 0;
            sinceRehash = 0;
            rehashes++;
            rehashInterval *= config.rehashGrowth();
        }
        return (float) (loss / n);
    }

    private void trainSample(SparseBatch batch, int s, int n, int cap, float[] hidden, float[] gradHidden, Scratch sc,
                             int worker, boolean hogwild) {
        int off = s * inputs;
        int base = s * cap;
        int stamp = sc.nextStamp();
        int[] mark = sc.mark;
        int count = 0;
        int[] lp = batch.labelPointers();
        int[] labels = batch.labels();
        for (int k = lp[s]; k < lp[s + 1]; k++) {
            int label = labels[k];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("sample " + s + " of the batch has label " + label + ", outside [0, "
                        + classes + ") of this layer");
            }
            if (mark[label] != stamp) {
                mark[label] = stamp;
                sc.freq[label] = -1;
                ids[base + count++] = label;
            }
        }
        int labelCount = count;
        if (full) {
            for (int j = 0; j < classes; j++) {
                if (mark[j] != stamp) {
                    ids[base + count++] = j;
                }
            }
        } else {
            count = retrieve(hidden, off, base, count, cap, sc, stamp);
            long rng = (seed ^ 0xAC71E5L) * 0x9E3779B97F4A7C15L + (long) step * 0x632BE59BD9B4E019L + s;
            int target = Math.min(Math.min(config.minActive(), cap), classes);
            while (count < target) {
                rng = SplitMix.next(rng);
                int j = SplitMix.bounded(rng, classes);
                if (mark[j] != stamp) {
                    mark[j] = stamp;
                    ids[base + count++] = j;
                }
            }
        }
        begin[s] = base;
        end[s] = base + count;
        float[] z = sc.logits;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            int j = ids[base + i];
            float v = Vectors.dot(weights, j * inputs, hidden, off, inputs) + bias[j];
            z[i] = v;
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += Math.exp(z[i] - max);
        }
        float logSum = (float) Math.log(sum);
        float target = 1f / labelCount;
        double loss = 0;
        for (int i = 0; i < labelCount; i++) {
            loss -= target * (z[i] - max - logSum);
        }
        losses[s] = (float) loss;
        Arrays.fill(gradHidden, off, off + inputs, 0f);
        float invN = 1f / n;
        for (int i = 0; i < count; i++) {
            int j = ids[base + i];
            float p = (float) Math.exp(z[i] - max - logSum);
            float dz = ((i < labelCount ? p - target : p)) * invN;
            coefficients[base + i] = dz;
            Vectors.axpy(dz, weights, j * inputs, gradHidden, off, inputs);
            if (hogwild) {
                Vectors.axpy(dz, hidden, off, gradWeights, j * inputs, inputs);
                gradBias[j] += dz;
                if (touchedStamp[j] != step) {
                    touchedStamp[j] = step;
                    int[] list = touchedBy[worker];
                    if (touchedCount[worker] == list.length) {
                        touchedBy[worker] = list = Arrays.copyOf(list, list.length * 2);
                    }
                    list[touchedCount[worker]++] = j;
                }
            }
        }
    }

    /** Appends the retrieved neurons, at most {@code maxActive} beyond the labels, those in the most tables first. */
    private int retrieve(float[] hidden, int off, int base, int count, int cap, Scratch sc, int stamp) {
        family.hash(hidden, off, sc.buckets);
        int[] mark = sc.mark;
        int[] freq = sc.freq;
        int found = 0;
        int bucketSize = tables.bucketSize();
        for (int t = 0; t < tables.tables(); t++) {
            int b = sc.buckets[t];
            int stored = tables.storedIn(t, b);
            int[] slots = tables.slots(t);
            for (int i = b * bucketSize, e = i + stored; i < e; i++) {
                int j = slots[i];
                if (mark[j] != stamp) {
                    mark[j] = stamp;
                    freq[j] = 1;
                    sc.found[found++] = j;
                } else if (freq[j] > 0) {
                    freq[j]++;
                }
            }
        }
        int room = Math.min(config.maxActive(), cap - count);
        if (found <= room) {
            System.arraycopy(sc.found, 0, ids, base + count, found);
            return count + found;
        }
        int[] histogram = sc.histogram;
        Arrays.fill(histogram, 0);
        for (int i = 0; i < found; i++) {
            histogram[freq[sc.found[i]]]++;
        }
        int threshold = histogram.length - 1;
        int above = 0;
        while (threshold > 1 && above + histogram[threshold] < room) {
            above += histogram[threshold];
            threshold--;
        }
        int atThreshold = room - above;
        for (int i = 0; i < found; i++) {
            int j = sc.found[i];
            int f = freq[j];
            if (f > threshold) {
                ids[base + count++] = j;
            } else if (f == threshold && atThreshold > 0) {
                ids[base + count++] = j;
                atThreshold--;
            }
        }
        return count;
    }

    private void applyGrouped(int n, float[] hidden, Workers workers) {
        groups.build(n, begin, end, ids, coefficients);
        sumGroups(hidden, workers, (w, j, g, gb) -> adam.step(j, weights, j * inputs, g, 0, bias, gb));
        for (int group = 0; group < groups.touched(); group++) {
            markDirty(groups.row(group));
        }
    }

    /** Receives one neuron's summed gradient; called by one worker per neuron. */
    private interface RowSink {
        void accept(int worker, int neuron, float[] gradient, float biasGradient);
    }

    private void sumGroups(float[] hidden, Workers workers, RowSink sink) {
        workers.forRanges(groups.touched(), (w, from, to) -> {
            float[] g = scratch[w].gradient;
            for (int group = from; group < to; group++) {
                Arrays.fill(g, 0f);
                float gb = 0f;
                for (int e = groups.start(group); e < groups.end(group); e++) {
                    float c = groups.coefficient(e);
                    Vectors.axpy(c, hidden, groups.sample(e) * inputs, g, 0, inputs);
                    gb += c;
                }
                sink.accept(w, groups.row(group), g, gb);
            }
        });
    }

    private void applyHogwild(Workers workers) {
        int total = 0;
        for (int w = 0; w < workers.threads(); w++) {
            total += touchedCount[w];
        }
        int[] touched = new int[total];
        int unique = 0;
        int mergeStamp = -step;
        for (int w = 0; w < workers.threads(); w++) {
            for (int i = 0; i < touchedCount[w]; i++) {
                int j = touchedBy[w][i];
                if (touchedStamp[j] != mergeStamp) {
                    touchedStamp[j] = mergeStamp;
                    touched[unique++] = j;
                }
            }
            touchedCount[w] = 0;
        }
        int count = unique;
        workers.forRanges(count, (w, from, to) -> {
            for (int i = from; i < to; i++) {
                int j = touched[i];
                adam.step(j, weights, j * inputs, gradWeights, j * inputs, bias, gradBias[j]);
                Arrays.fill(gradWeights, j * inputs, (j + 1) * inputs, 0f);
                gradBias[j] = 0f;
            }
        });
        for (int i = 0; i < count; i++) {
            markDirty(touched[i]);
        }
    }

    private void markDirty(int j) {
        if (!dirty[j]) {
            dirty[j] = true;
            if (dirtyCount == dirtyList.length) {
                dirtyList = Arrays.copyOf(dirtyList, dirtyList.length * 2);
            }
            dirtyList[dirtyCount++] = j;
        }
    }

    private void rehash(int[] neurons, int count, Workers workers) {
        if (count == 0) {
            return;
        }
        int l = tables.tables();
        if (codes.length < count * l) {
            codes = new int[count * l];
        }
        int[] c = codes;
        workers.forRanges(count, (w, from, to) -> tables.hashRows(weights, neurons, from, to, c));
        tables.rehash(neurons, count, c, (t, body) -> workers.forRanges(t, (w, from, to) -> {
            for (int i = from; i < to; i++) {
                body.accept(i);
            }
        }));
    }

    private void prepareBatch(int n, int cap, int threads) {
        if (ids.length < n * cap) {
            ids = new int[n * cap];
            coefficients = new float[n * cap];
        }
        if (begin.length < n) {
            begin = new int[n];
            end = new int[n];
            losses = new float[n];
        }
        if (scratch.length < threads || scratch[0].logits.length < cap) {
            scratch = new Scratch[threads];
            for (int w = 0; w < threads; w++) {
                scratch[w] = new Scratch(classes, cap, tables == null ? 1 : tables.tables(), tables == null ? 0
                        : tables.tables() * tables.bucketSize(), inputs);
            }
        }
        if (gradWeights != null && touchedBy.length < threads) {
            touchedBy = new int[threads][1024];
            touchedCount = new int[threads];
        }
    }

    /**
     * The top-1 class of each row among the neurons its hidden vector retrieves from the tables (sampled evaluation,
     * cheaper and biased: a class not retrieved cannot be predicted); -1 when nothing is retrieved. Every neuron when
     * all are active.
     */
    public void sampledTop1(float[] hidden, int n, int[] top1, Workers workers) {
        if (tables == null) {
            predictTop1(hidden, n, top1);
            return;
        }
        int cap = Math.min(classes, config.tables() * config.bucketSize());
        prepareBatch(n, Math.max(cap, 1), workers.threads());
        workers.forRanges(n, (w, from, to) -> {
            Scratch sc = scratch[w];
            for (int s = from; s < to; s++) {
                int off = s * inputs;
                int stamp = sc.nextStamp();
                family.hash(hidden, off, sc.buckets);
                int best = -1;
                float max = Float.NEGATIVE_INFINITY;
                for (int t = 0; t < tables.tables(); t++) {
                    int b = sc.buckets[t];
                    int[] slots = tables.slots(t);
                    for (int i = b * tables.bucketSize(), e = i + tables.storedIn(t, b); i < e; i++) {
                        int j = slots[i];
                        if (sc.mark[j] != stamp) {
                            sc.mark[j] = stamp;
                            float v = Vectors.dot(weights, j * inputs, hidden, off, inputs) + bias[j];
                            if (v > max || (v == max && j < best)) {
                                max = v;
                                best = j;
                            }
                        }
                    }
                }
                top1[s] = best;
            }
        });
    }

    @Override
    public void predictTop1(float[] hidden, int n, int[] top1) {
        try (Tensor w = scorer.of(weights, Shape.of(classes, inputs)); Tensor b = scorer.of(bias, Shape.of(classes))) {
            ExactScorer.top1(scorer, w, b, hidden, n, top1);
        }
    }

    @Override
    public double takeMeanActive() {
        double mean = activeSamples == 0 ? 0 : (double) activeTotal / activeSamples;
        activeTotal = 0;
        activeSamples = 0;
        return mean;
    }

    /** Bytes of weights, optimizer state and tables. */
    public long bytes() {
        long tableBytes = tables == null ? 0 : 4L * tables.tables() * ((long) (1 << family.bucketBits()) * (tables.bucketSize() + 2)
                + 2L * classes);
        return 4L * (weights.length + bias.length) + adam.stateBytes() + tableBytes
                + (gradWeights == null ? 0 : 4L * (gradWeights.length + gradBias.length));
    }

    @Override
    public void close() {
        // host arrays only; nothing native to free
    }

    @Override
    public String toString() {
        return "SlideLinear[" + inputs + " -> " + classes + ", " + (full ? "every neuron active" : config.describe() + ", "
                + family.describe()) + "]";
    }

    /** One worker's scratch: marks and counts per neuron (stamped, never cleared), buckets, logits, a gradient row. */
    private static final class Scratch {
        final int[] mark;
        final int[] freq;
        final int[] buckets;
        final int[] found;
        final int[] histogram;
        final float[] logits;
        final float[] gradient;
        int stamp;

        Scratch(int classes, int cap, int tables, int maxFound, int inputs) {
            mark = new int[classes];
            freq = new int[classes];
            buckets = new int[tables];
            found = new int[Math.max(1, maxFound)];
            histogram = new int[tables + 1];
            logits = new float[Math.max(cap, 1)];
            gradient = new float[inputs];
        }

        int nextStamp() {
            if (++stamp == Integer.MAX_VALUE) {
                Arrays.fill(mark, 0);
                stamp = 1;
            }
            return stamp;
        }
    }
}
