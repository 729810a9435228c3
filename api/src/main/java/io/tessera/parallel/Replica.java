package io.tessera.parallel;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.data.Batch;
import io.tessera.nn.Buffer;
import io.tessera.nn.CrossEntropyLoss;
import io.tessera.nn.Layer;
import io.tessera.nn.Parameter;
import io.tessera.optim.Optimizer;
import io.tessera.spi.Kernels;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One data-parallel replica: a model and its optimizer on one device, a member of an {@link AllReduce} group. Every
 * replica reads the same global batches; replica {@code r} of {@code n} trains on rows {@code [size·r/n,
 * size·(r+1)/n)} of each, so the shards of a batch together are the batch, and the union of the replicas is one
 * device training on the global batch. Training uses softmax cross-entropy, as {@link io.tessera.train.Trainer}.
 *
 * <p>Where the device does not take {@linkplain Device#concurrentKernels() concurrent kernels}, a replica issues
 * its kernels while holding the device's monitor, so replicas that share such a device take turns. One thread per
 * replica; closing frees the staging tensors, not the model or optimizer.
 */
public final class Replica implements AutoCloseable {
    private final Layer model;
    private final Optimizer optimizer;
    private final AllReduce group;
    private final Synchronization sync;
    private final Device device;
    private final List<Parameter> parameters;
    private final int gradientFloats;
    private final float[] gradients;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final Map<Integer, Tensor[]> staging = new HashMap<>();
    private final Object lock;

    /**
     * A replica training {@code model} on the device of its first parameter. The replica does not own the model,
     * optimizer or group.
     *
     * @param model the replica's model
     * @param optimizer its optimizer
     * @param group the all-reduce member of this replica
     * @param sync how replicas stay in step
     * @throws IllegalArgumentException if the model has no parameters or more than an all-reduce buffer holds
     */
    public Replica(Layer model, Optimizer optimizer, AllReduce group, Synchronization sync) {
        this.model = model;
        this.optimizer = optimizer;
        this.group = group;
        this.sync = sync;
        this.parameters = model.parameters();
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException(model + " has no parameters to train");
        }
        this.device = parameters.get(0).device();
        this.lock = device.concurrentKernels() ? new Object() : device;
        long floats = 0;
        for (Parameter p : parameters) {
            floats += p.shape().size();
        }
        if (floats + 2 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(model + " has " + floats + " parameters; an all-reduce buffer holds at most 2^31 floats");
        }
        this.gradientFloats = (int) floats;
        this.gradients = new float[gradientFloats + 2];
    }

    /**
     * The replica's device: that of the model's first parameter.
     *
     * @return the device
     */
    public Device device() {
        return device;
    }

    /**
     * The floats one gradient all-reduce moves per step: the gradients, the shard's sample count and loss.
     *
     * @return the number of floats
     */
    public int gradientPayloadFloats() {
        return gradients.length;
    }

    /**
     * Trains one epoch over {@code globalBatches} (the same batches, in the same order, on every replica) at learning
     * rate {@code rate}; returns this replica's account of it, with the global loss and sample count.
     *
     * @param globalBatches the global batches, on the host
     * @param rate the learning rate of this epoch
     * @return the replica's statistics
     * @throws AllReduceException if the group fails
     */
    public WorkerStats trainEpoch(Iterable<Batch> globalBatches, double rate) {
        long start = System.nanoTime();
        optimizer.setLearningRate(rate);
        model.train(true);
        Traffic traffic = new Traffic();
        double lossSum = 0;
        long samples = 0;
        int steps = 0;
        for (Batch batch : globalBatches) {
            int size = batch.size();
            int from = (int) ((long) size * group.rank() / group.size());
            int rows = (int) ((long) size * (group.rank() + 1) / group.size()) - from;
            if (group.size() == 1) {
                synchronized (lock) {
                    lossSum += (double) forwardBackward(batch, from, rows) * rows;
                    optimizer.step();
                }
                samples += rows;
            } else if (sync.mode() == Synchronization.Mode.ALL_REDUCE) {
                synchronized (lock) {
                    float shardLoss = rows == 0 ? 0f : forwardBackward(batch, from, rows);
                    readGradients(rows);
                    gradients[gradientFloats] = rows;
                    gradients[gradientFloats + 1] = shardLoss * rows;
                }
                traffic.sum(gradients);
                float total = gradients[gradientFloats];
                lossSum += gradients[gradientFloats + 1];
                samples += (long) total;
                synchronized (lock) {
                    writeGradients(1f / total);
                    optimizer.step();
                }
            } else {
                if (rows > 0) {
                    synchronized (lock) {
                        lossSum += (double) forwardBackward(batch, from, rows) * rows;
                        optimizer.step();
                    }
                    samples += rows;
                }
                if ((steps + 1) % sync.averageEvery() == 0) {
                    average(traffic);
                }
            }
            steps++;
        }
        if (sync.mode() == Synchronization.Mode.AVERAGE) {
            if (steps % sync.averageEvery() != 0) {
                average(traffic);
            }
            float[] totals = {(float) lossSum, samples};
            traffic.sum(totals);
            lossSum = totals[0];
            samples = (long) totals[1];
        } else if (!model.buffers().isEmpty()) {
            averageBuffers(traffic);
        }
        return new WorkerStats(lossSum, samples, steps, (System.nanoTime() - start) / 1e9, traffic.seconds, traffic.bytes, traffic.calls);
    }

    private float forwardBackward(Batch batch, int from, int rows) {
        Tensor[] t = staging.computeIfAbsent(rows, r -> {
            Tensor features = device.empty(Shape.of(prepend(r, batch.featureShape().dims())), DType.FLOAT32);
            return new Tensor[] {features, device.empty(Shape.of(r), DType.INT32)};
        });
        Kernels k = device.kernels();
        FloatBuffer shard = batch.features().duplicate();
        shard.limit((from + rows) * batch.rowSize()).position(from * batch.rowSize());
        k.copyFromBuffer(shard, t[0], 0);
        k.copyFromHost(batch.labels(), from, t[1], 0, rows);
        Tensor logits = model.forward(t[0]);
        float value = loss.forward(logits, t[1]).item();
        model.backward(loss.backward(), false);
        return value;
    }

    private void readGradients(int rows) {
        Kernels k = device.kernels();
        int offset = 0;
        for (Parameter p : parameters) {
            int n = (int) p.shape().size();
            if (rows == 0) {
                java.util.Arrays.fill(gradients, offset, offset + n, 0f);
            } else {
                k.copyToHost(p.grad(), 0, gradients, offset, n);
            }
            offset += n;
        }
        if (rows > 1) {
            for (int i = 0; i < gradientFloats; i++) {
                gradients[i] *= rows;
            }
        }
    }

    private void writeGradients(float scale) {
        for (int i = 0; i < gradientFloats; i++) {
            gradients[i] *= scale;
        }
        Kernels k = device.kernels();
        int offset = 0;
        for (Parameter p : parameters) {
            int n = (int) p.shape().size();
            k.copyFromHost(gradients, offset, p.grad(), 0, n);
            offset += n;
        }
    }

    /** Averages parameters, buffers and optimizer state across the group. */
    private void average(Traffic traffic) {
        List<Tensor> tensors = new ArrayList<>();
        for (Parameter p : parameters) {
            tensors.add(p.value());
        }
        for (Buffer b : model.buffers()) {
            tensors.add(b.value());
        }
        for (Buffer b : optimizer.stateTensors()) {
            tensors.add(b.value());
        }
        averageTensors(tensors, traffic);
        for (Parameter p : parameters) {
            p.value().markModified();
        }
    }

    private void averageBuffers(Traffic traffic) {
        List<Tensor> tensors = new ArrayList<>();
        for (Buffer b : model.buffers()) {
            tensors.add(b.value());
        }
        averageTensors(tensors, traffic);
    }

    private void averageTensors(List<Tensor> tensors, Traffic traffic) {
        long total = 0;
        for (Tensor t : tensors) {
            total += t.size();
        }
        float[] flat = new float[Math.toIntExact(total)];
        Kernels k = device.kernels();
        synchronized (lock) {
            int offset = 0;
            for (Tensor t : tensors) {
                k.copyToHost(t, 0, flat, offset, (int) t.size());
                offset += (int) t.size();
            }
        }
        traffic.sum(flat);
        float scale = 1f / group.size();
        for (int i = 0; i < flat.length; i++) {
            flat[i] *= scale;
        }
        synchronized (lock) {
            int offset = 0;
            for (Tensor t : tensors) {
                k.copyFromHost(flat, offset, t, 0, (int) t.size());
                offset += (int) t.size();
            }
        }
    }

    private static int[] prepend(int first, int[] rest) {
        int[] dims = new int[rest.length + 1];
        dims[0] = first;
        System.arraycopy(rest, 0, dims, 1, rest.length);
        return dims;
    }

    @Override
    public void close() {
        for (Tensor[] t : staging.values()) {
            t[0].close();
            t[1].close();
        }
        staging.clear();
        loss.close();
    }

    private final class Traffic {
        double seconds;
        long bytes;
        int calls;

        void sum(float[] values) {
            long start = System.nanoTime();
            group.sum(values);
            seconds += (System.nanoTime() - start) / 1e9;
            bytes += 4L * values.length;
            calls++;
        }
    }
}
