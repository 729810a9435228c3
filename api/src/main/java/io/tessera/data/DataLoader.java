package io.tessera.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cuts a {@link Dataset} into batches, optionally in a fresh random order every epoch: PyTorch's {@code DataLoader}
 * with {@code num_workers=0}.
 *
 * <p>Each call to {@link #iterator()} is one epoch: the first is epoch 0, then 1, 2, ... With shuffling, epoch
 * {@code e} visits the samples in a permutation that is a pure function of the seed and {@code e}, so two loaders with
 * the same seed agree epoch by epoch, on every machine; {@link #epoch(int)} replays a given epoch. Without shuffling
 * every epoch is in dataset order. Every sample appears exactly once per epoch, except the last
 * {@code size % batchSize} of the order when {@code dropLast} is set.
 *
 * <p>An epoch's iterator hands out the same {@link Batch} object again and again, refilled by each {@code next()}: it
 * allocates its buffers once, at the first batch, and nothing per batch. The loader itself is immutable apart from its
 * epoch counter and may be shared; each iterator is for one thread.
 */
public final class DataLoader implements Iterable<Batch>, SeekableEpochs {
    private final Dataset dataset;
    private final Dataset source;
    private final int[] sourceIndex;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int batchCount;
    private final BatchTransform transform;
    private final AtomicInteger nextEpoch = new AtomicInteger();
    private final AtomicInteger startBatch = new AtomicInteger();

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.transform = b.transform;
        int n = dataset.size();
        this.batchCount = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        Dataset d = dataset;
        int[] map = null;
        while (d instanceof Subset s) {
            int[] inner = s.indices();
            if (map != null) {
                for (int i = 0; i < map.length; i++) {
                    map[i] = inner[map[i]];
                }
            } else {
                map = inner;
            }
            d = s.parent();
        }
        this.source = d;
        this.sourceIndex = map;
    }

    /**
     * A builder for a loader over {@code dataset} in batches of {@code batchSize} samples (the last may be smaller).
     *
     * @param dataset the samples
     * @param batchSize samples per batch, {@code >= 1}
     * @return the builder: no shuffling, no drop-last, no transform
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public static Builder builder(Dataset dataset, int batchSize) {
        return new Builder(dataset, batchSize);
    }

    /**
     * The dataset this loader reads.
     *
     * @return the dataset
     */
    public Dataset dataset() {
        return dataset;
    }

    /**
     * The number of samples in a full batch.
     *
     * @return the batch size
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Whether each epoch has its own random order.
     *
     * @return true if shuffled
     */
    public boolean shuffled() {
        return shuffle;
    }

    /**
     * Whether an incomplete last batch is left out.
     *
     * @return true if the last incomplete batch is dropped
     */
    public boolean dropLast() {
        return dropLast;
    }

    /** The number of batches per epoch. */
    @Override
    public int batchCount() {
        return batchCount;
    }

    /**
     * The number of samples an epoch visits: the dataset's size, less what {@code dropLast} leaves out.
     *
     * @return the number of samples per epoch
     */
    public int samplesPerEpoch() {
        return dropLast ? batchCount * batchSize : dataset.size();
    }

    /** The epoch that the next call to {@link #iterator()} will produce. */
    @Override
    public int nextEpoch() {
        return nextEpoch.get();
    }

    @Override
    public synchronized void seek(int epoch, int batch) {
        if (epoch < 0 || batch < 0 || batch > batchCount) {
            throw new IllegalArgumentException("cannot seek to epoch " + epoch + ", batch " + batch + ": epochs are >= 0 and an epoch has "
                    + batchCount + " batches");
        }
        nextEpoch.set(epoch);
        startBatch.set(batch);
    }

    @Override
    public String order() {
        return dataset.size() + " samples, batch " + batchSize + (shuffle ? ", shuffled with seed " + seed : ", in order")
                + (dropLast ? ", drop last" : "");
    }

    /** The next epoch; see the class description. */
    @Override
    public Iterator<Batch> iterator() {
        int[] start = claim();
        return new EpochIterator(start[0], start[1]);
    }

    /**
     * Epoch {@code epoch} again, without moving the epoch counter: for replaying or resuming a run.
     *
     * @param epoch the epoch, {@code >= 0}
     * @return an iterable whose every iterator gives that epoch from its first batch
     * @throws IllegalArgumentException if {@code epoch} is negative
     */
    public Iterable<Batch> epoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative, not " + epoch);
        }
        return () -> new EpochIterator(epoch, 0);
    }

    /** Hands out the next epoch and the batch it starts at, {@code {epoch, batch}}, as {@link #iterator()} does. */
    synchronized int[] claim() {
        return new int[] {nextEpoch.getAndIncrement(), startBatch.getAndSet(0)};
    }

    /** The order in which epoch {@code epoch} visits the samples, as indices into {@link #source()}. */
    int[] order(int epoch) {
        int n = dataset.size();
        int[] order;
        if (shuffle) {
            order = SplitMix64.forStream(seed, epoch).permutation(n);
            if (sourceIndex != null) {
                for (int i = 0; i < n; i++) {
                    order[i] = sourceIndex[order[i]];
                }
            }
        } else if (sourceIndex != null) {
            order = sourceIndex.clone();
        } else {
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
        }
        return order;
    }

    /** The dataset that batches are gathered from: {@link #dataset()} with any {@link Subset}s looked through. */
    Dataset source() {
        return source;
    }

    /** The number of samples in batch {@code batch} of an epoch. */
    int rows(int batch) {
        return Math.min(batchSize, dataset.size() - batch * batchSize);
    }

    /** Fills {@code into} with batch {@code batch} of epoch {@code epoch}, whose order is {@code order}, transformed. */
    void fill(int epoch, int[] order, int batch, Batch into) {
        int rows = rows(batch);
        into.fill(source, order, batch * batchSize, rows, batch);
        if (transform != null) {
            transform.apply(into.features(), rows, dataset.featureShape(), epoch, batch);
        }
    }

    private Batch newBatch() {
        int floats = Math.multiplyExact(batchSize, dataset.featureSize());
        return new Batch(ByteBuffer.allocateDirect(Math.multiplyExact(floats, 4)).order(ByteOrder.nativeOrder()).asFloatBuffer(),
                batchSize, dataset.featureShape());
    }

    @Override
    public String toString() {
        return "DataLoader[" + dataset + ", batch " + batchSize + (shuffle ? ", shuffled with seed " + seed : "")
                + (dropLast ? ", drop last" : "") + (transform != null ? ", transformed" : "") + "]";
    }

    private final class EpochIterator implements Iterator<Batch> {
        private final int epoch;
        private final int[] order;
        private Batch batch;
        private int next;

        EpochIterator(int epoch, int firstBatch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.next = firstBatch;
        }

        @Override
        public boolean hasNext() {
            return next < batchCount;
        }

        @Override
        public Batch next() {
            if (next >= batchCount) {
                throw new NoSuchElementException("all " + batchCount + " batches of this epoch have been read");
            }
            if (batch == null) {
                batch = newBatch();
            }
            fill(epoch, order, next, batch);
            next++;
            return batch;
        }
    }

    /** Configures a {@link DataLoader}. Not thread-safe. */
    public static final class Builder {
        private final Dataset dataset;
        private final int batchSize;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private BatchTransform transform;

        private Builder(Dataset dataset, int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
            }
            this.dataset = Objects.requireNonNull(dataset, "dataset");
            this.batchSize = batchSize;
        }

        /**
         * Shuffles every epoch with a permutation derived from {@code seed} and the epoch number.
         *
         * @param seed the permutations' seed
         * @return this builder
         */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /**
         * Leaves out the last batch of an epoch when it would be smaller than the batch size.
         *
         * @param dropLast whether to drop it
         * @return this builder
         */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * Applies {@code transform} to every batch after gathering (normalisation, augmentation); a second call
         * chains the transforms in call order.
         *
         * @param transform the transform, not null
         * @return this builder
         */
        public Builder transform(BatchTransform transform) {
            Objects.requireNonNull(transform, "transform");
            this.transform = this.transform == null ? transform : this.transform.andThen(transform);
            return this;
        }

        /**
         * @return the loader, at epoch 0
         * @throws IllegalArgumentException if {@code dropLast} leaves no batch at all
         */
        public DataLoader build() {
            if (dataset.size() == 0 || (dropLast && dataset.size() < batchSize)) {
                throw new IllegalArgumentException(dataset + " has " + dataset.size() + " samples: no " + (dropLast ? "full " : "")
                        + "batch of " + batchSize);
            }
            return new DataLoader(this);
        }
    }
}
