package io.tessera.data;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.TesseraException;
import io.tessera.spi.Kernels;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Batches of a {@link DataLoader} on a {@link Device}, prefetched: the tutorial's {@code DeviceDataLoader} with
 * {@code pin_memory=True}. While the caller computes on one batch, a background thread gathers the next ones into host
 * staging buffers from {@link Device#allocateHostBuffer}; {@code next()} then uploads a gathered batch into device
 * tensors that this loader owns and returns them as a {@link DeviceBatch}. Gathering overlaps compute; whether the
 * upload does too depends on the backend (today's OpenCL backends write synchronously).
 *
 * <p><b>Epochs.</b> Each call to {@link #iterator()} is the next epoch of the underlying loader, in the same order
 * that loader's own iterator would give. Starting an epoch stops the previous epoch's prefetching, if it still runs;
 * the previous epoch's iterator then fails if used.
 *
 * <p><b>Threads.</b> Kernels are issued only by the thread that calls the iterator's {@code next()}, the thread that
 * runs the training step; the prefetch thread (a daemon named {@code tessera-prefetch-<device>-epoch-<n>}) only reads
 * the dataset and writes host buffers. {@code iterator()}, {@code next()} and {@link #close()} are meant for that one
 * consumer thread.
 *
 * <p><b>Ownership.</b> A {@link DeviceBatch} is valid until the next call to {@code next()}: its tensors are reused.
 * The loader closes them in {@link #close()}, which also stops and joins the prefetch thread, mid-epoch or not; close
 * the loader when done (try-with-resources). An error while gathering a batch is thrown from the {@code next()} that
 * would have returned it, as a {@link TesseraException} with the error as its cause.
 */
public final class DeviceDataLoader implements Iterable<DeviceBatch>, SeekableEpochs, AutoCloseable {
    /** The number of batches gathered ahead of the consumer unless stated otherwise. */
    public static final int DEFAULT_PREFETCH = 2;

    private static final System.Logger LOG = System.getLogger(DeviceDataLoader.class.getName());
    private static final long JOIN_TIMEOUT_MS = 10_000;
    private static final long POLL_MS = 100;

    private final DataLoader loader;
    private final Device device;
    private final int prefetch;
    private final List<Batch> slots = new ArrayList<>();
    private Tensor features;
    private Tensor labels;
    private DeviceBatch fullBatch;
    private Epoch current;
    private volatile boolean closed;

    /**
     * Prefetches {@value #DEFAULT_PREFETCH} batches ahead.
     *
     * @param loader the batches' source; not closed by this loader
     * @param device the device the batches go to
     */
    public DeviceDataLoader(DataLoader loader, Device device) {
        this(loader, device, DEFAULT_PREFETCH);
    }

    /**
     * @param prefetch how many batches the background thread may gather ahead of the consumer, at least 1; each holds
     *                 one batch-sized host buffer
     * @param loader the batches' source; not closed by this loader
     * @param device the device the batches go to
     * @throws IllegalArgumentException if {@code prefetch < 1}
     */
    public DeviceDataLoader(DataLoader loader, Device device, int prefetch) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.device = Objects.requireNonNull(device, "device");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, not " + prefetch);
        }
        this.prefetch = prefetch;
    }

    /**
     * The loader whose batches this uploads.
     *
     * @return the loader
     */
    public DataLoader loader() {
        return loader;
    }

    /**
     * The device the batches are uploaded to.
     *
     * @return the device
     */
    public Device device() {
        return device;
    }

    /** The number of batches per epoch. */
    @Override
    public int batchCount() {
        return loader.batchCount();
    }

    /** The underlying loader's next epoch. */
    @Override
    public int nextEpoch() {
        return loader.nextEpoch();
    }

    /** Seeks the underlying loader; takes effect at the next {@link #iterator()}. */
    @Override
    public void seek(int epoch, int batch) {
        loader.seek(epoch, batch);
    }

    @Override
    public String order() {
        return loader.order();
    }

    /**
     * Starts the next epoch: stops the previous epoch's prefetching if it still runs, then starts a prefetch thread.
     *
     * @throws IllegalStateException if this loader is closed
     */
    @Override
    public synchronized Iterator<DeviceBatch> iterator() {
        checkOpen();
        stopCurrent();
        if (slots.isEmpty()) {
            int floats = Math.multiplyExact(loader.batchSize(), loader.dataset().featureSize());
            for (int i = 0; i < prefetch; i++) {
                slots.add(new Batch(device.allocateHostBuffer(floats), loader.batchSize(), loader.dataset().featureShape()));
            }
        }
        int[] start = loader.claim();
        current = new Epoch(start[0], start[1]);
        current.start();
        return current;
    }

    /** Stops and joins the prefetch thread, then closes the device tensors. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopCurrent();
        if (features != null) {
            features.close();
            labels.close();
        }
    }

    private void stopCurrent() {
        if (current != null) {
            current.stop();
            current = null;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("DeviceDataLoader on device " + device.id() + " is closed");
        }
    }

    private synchronized DeviceBatch upload(Batch batch) {
        if (features == null) {
            Shape shape = Shape.of(prepend(loader.batchSize(), loader.dataset().featureShape().dims()));
            features = device.empty(shape, DType.FLOAT32);
            try {
                labels = device.empty(Shape.of(loader.batchSize()), DType.INT32);
            } catch (RuntimeException e) {
                features.close();
                features = null;
                throw e;
            }
            fullBatch = new DeviceBatch(features, labels, loader.batchSize());
        }
        int rows = batch.size();
        Kernels kernels = device.kernels();
        kernels.copyFromBuffer(batch.features(), features, 0);
        kernels.copyFromHost(batch.labels(), 0, labels, 0, rows);
        return rows == loader.batchSize() ? fullBatch : new DeviceBatch(features.rows(rows), labels.rows(rows), rows);
    }

    private static int[] prepend(int first, int[] rest) {
        int[] dims = new int[rest.length + 1];
        dims[0] = first;
        System.arraycopy(rest, 0, dims, 1, rest.length);
        return dims;
    }

    @Override
    public String toString() {
        return "DeviceDataLoader[" + loader + " to " + device.id() + ", prefetch " + prefetch + "]";
    }

    /** A failure of the prefetch thread, passed to the consumer in place of a batch. */
    private record Failure(int batch, Throwable error) {
    }

    /** One epoch: its prefetch thread and the consumer's iterator. */
    private final class Epoch implements Iterator<DeviceBatch>, Runnable {
        private final int epoch;
        private final int firstBatch;
        private final BlockingQueue<Batch> free;
        private final BlockingQueue<Object> filled;
        private final Thread thread;
        private int consumed;
        private boolean failed;
        private volatile boolean stopped;

        Epoch(int epoch, int firstBatch) {
            this.epoch = epoch;
            this.firstBatch = firstBatch;
            this.consumed = firstBatch;
            this.free = new ArrayBlockingQueue<>(slots.size(), false, slots);
            this.filled = new ArrayBlockingQueue<>(slots.size() + 1);
            this.thread = new Thread(this, "tessera-prefetch-" + device.id() + "-epoch-" + epoch);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        @Override
        public void run() {
            int batch = firstBatch;
            try {
                int[] order = loader.order(epoch);
                for (; batch < loader.batchCount() && !stopped; batch++) {
                    Batch slot = free.take();
                    loader.fill(epoch, order, batch, slot);
                    filled.put(slot);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                int at = batch;
                LOG.log(Level.DEBUG, () -> thread.getName() + " failed at batch " + at, t);
                filled.offer(new Failure(batch, t));
            }
        }

        void stop() {
            stopped = true;
            thread.interrupt();
            try {
                thread.join(JOIN_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.log(Level.WARNING, () -> thread.getName() + " did not stop within " + JOIN_TIMEOUT_MS + " ms of being asked;"
                        + " is the dataset's gather() blocking without heeding interrupts? Its staging buffers are abandoned.");
                slots.clear();
            }
        }

        @Override
        public boolean hasNext() {
            return !failed && consumed < loader.batchCount();
        }

        @Override
        public DeviceBatch next() {
            checkOpen();
            if (stopped) {
                throw new IllegalStateException("epoch " + epoch + " of " + DeviceDataLoader.this
                        + " was stopped: a later call to iterator() started another epoch");
            }
            if (!hasNext()) {
                throw new NoSuchElementException(failed ? "epoch " + epoch + " failed earlier"
                        : "all " + loader.batchCount() + " batches of epoch " + epoch + " have been read");
            }
            Object item = take();
            if (item instanceof Failure f) {
                failed = true;
                throw new TesseraException("gathering batch " + f.batch() + " of epoch " + epoch + " for device " + device.id()
                        + " failed on thread " + thread.getName() + ": " + f.error(), f.error());
            }
            Batch batch = (Batch) item;
            try {
                DeviceBatch uploaded = upload(batch);
                consumed++;
                return uploaded;
            } finally {
                free.add(batch);
            }
        }

        private Object take() {
            try {
                while (true) {
                    Object item = filled.poll(POLL_MS, TimeUnit.MILLISECONDS);
                    if (item != null) {
                        return item;
                    }
                    if (!thread.isAlive() && filled.isEmpty()) {
                        failed = true;
                        throw new TesseraException("prefetch thread " + thread.getName() + " ended before batch " + consumed
                                + " of epoch " + epoch + " for device " + device.id());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TesseraException("interrupted while waiting for batch " + consumed + " of epoch " + epoch
                        + " for device " + device.id(), e);
            }
        }
    }
}
