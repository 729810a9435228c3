package io.tessera.spark;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.data.DataLoader;
import io.tessera.nn.Layer;
import io.tessera.optim.Optimizer;
import io.tessera.parallel.ModelFactory;
import io.tessera.parallel.ModelState;
import io.tessera.parallel.OptimizerFactory;
import io.tessera.parallel.Replica;
import io.tessera.parallel.SocketAllReduce;
import io.tessera.parallel.Synchronization;
import io.tessera.parallel.WorkerStats;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One epoch on one barrier task: build the replica on the executor's default device, load the driver's state, train
 * this rank's shards of the epoch's global batches, report back.
 */
final class EpochTask extends AbstractFunction1<Iterator<Integer>, Iterator<WorkerReport>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ModelFactory models;
    private final OptimizerFactory optimizers;
    private final TrainingData data;
    private final Broadcast<ModelState> state;
    private final int epoch;
    private final double rate;
    private final Synchronization sync;
    private final int workers;

    EpochTask(ModelFactory models, OptimizerFactory optimizers, TrainingData data, Broadcast<ModelState> state, int epoch, double rate,
              Synchronization sync, int workers) {
        this.models = models;
        this.optimizers = optimizers;
        this.data = data;
        this.state = state;
        this.epoch = epoch;
        this.rate = rate;
        this.sync = sync;
        this.workers = workers;
    }

    @Override
    public Iterator<WorkerReport> apply(Iterator<Integer> ranks) {
        BarrierTaskContext context = BarrierTaskContext.get();
        Device device = Devices.defaultDevice();
        DataLoader loader;
        try {
            loader = data.open();
        } catch (IOException e) {
            throw new UncheckedIOException("worker " + context.partitionId() + " cannot open the training data: " + e.getMessage(), e);
        }
        WorkerReport report;
        int rank = context.partitionId();
        String address = context.getTaskInfos()[rank].address();
        String host = address.contains(":") ? address.substring(0, address.lastIndexOf(':')) : address;
        try (SocketAllReduce group = SocketAllReduce.connect(rank, workers, host, context::allGather);
             Layer model = models.create(device);
             Optimizer optimizer = optimizers.create(model.parameters());
             Replica replica = new Replica(model, optimizer, group, sync)) {
            state.value().applyTo(model, optimizer);
            WorkerStats stats = replica.trainEpoch(loader.epoch(epoch), rate);
            ModelState end = context.partitionId() == 0 ? ModelState.capture(model, optimizer) : null;
            report = new WorkerReport(rank, device.id(), host, stats, end);
        }
        return CollectionConverters.asScala(List.of(report).iterator());
    }
}
