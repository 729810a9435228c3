package io.tessera.spark;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.InMemoryDataset;
import io.tessera.nn.Layer;
import io.tessera.nn.LayerSpec;
import io.tessera.nn.Parameter;
import io.tessera.optim.LearningRateSchedule;
import io.tessera.optim.SGD;
import io.tessera.parallel.ModelFactory;
import io.tessera.parallel.OptimizerFactory;
import io.tessera.parallel.ParallelEpoch;
import io.tessera.parallel.ParityFixture;
import io.tessera.parallel.Synchronization;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data-parallel training in an embedded {@code local[2]} Spark: parity with one device, faults, bad configuration. */
class SparkTrainerTest {
    private static final int EPOCHS = 5;
    private static final int STEPS_PER_EPOCH = 10;
    private static JavaSparkContext spark;
    private final Device device = Devices.get("cpu");

    @BeforeAll
    static void startSpark() {
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("tessera-spark-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static TrainingData data(int samples, int batch) {
        return () -> ParityFixture.loader(ParityFixture.dataset(samples, 1), batch);
    }

    private SparkTrainer.Result fit(SparkTrainer trainer, int epochs, ModelFactory models, OptimizerFactory optimizers, TrainingData data,
                                    List<List<float[]>> after) {
        SparkTrainer.Result[] holder = new SparkTrainer.Result[1];
        InMemoryDataset valData = ParityFixture.dataset(64, 5);
        try (DeviceDataLoader val = new DeviceDataLoader(ParityFixture.loader(valData, 64), device)) {
            holder[0] = trainer.fit(epochs, 0.2, LearningRateSchedule.constant(), models, optimizers, data, val, device);
        }
        return holder[0];
    }

    /** A Spark trainer whose epoch listener records the driver model's parameters after every epoch. */
    private SparkTrainer trainer(Synchronization sync, List<List<float[]>> after) {
        return SparkTrainer.on(spark).workers(2).synchronization(sync)
                .epochListener((e, model) -> after.add(ParityFixture.parameters(model))).build();
    }

    @Test
    void allReduceOfTwoWorkersOf64MatchesOneDeviceWith128OverFiftySteps() {
        int samples = 128 * STEPS_PER_EPOCH;
        List<List<float[]>> single = ParityFixture.singleDevice(device, ParityFixture.dataset(samples, 1), 128, EPOCHS, ParityFixture::sgd, 0.2);
        List<List<float[]>> after = new ArrayList<>();
        SparkTrainer.Result r = fit(trainer(Synchronization.allReduce(), after), EPOCHS, ParityFixture::model, ParityFixture::sgd,
                data(samples, 128), after);
        try (Layer model = r.model(); var optimizer = r.optimizer()) {
            assertEquals(EPOCHS, after.size());
            for (int e = 0; e < EPOCHS; e++) {
                ParityFixture.assertClose(single.get(e), after.get(e), 1e-5, "step " + (e + 1) * STEPS_PER_EPOCH);
            }
            ParallelEpoch first = r.epochs().get(0);
            assertEquals(2, first.workers().size());
            assertEquals(1, first.attempts());
            assertEquals(samples, first.workers().get(1).samples(), "each worker counts every sample of the epoch");
            assertTrue(first.devices().get(0).startsWith("cpu@"), first.devices().toString());
            assertEquals(4L * (16 * 24 + 24 + 24 * 4 + 4 + 2), first.bytesPerStep(), 1e-9, "gradients, sample count and loss per step");
        }
    }

    @Test
    void averagingEveryStepWithPlainSgdMatchesOneDevice() {
        OptimizerFactory plain = params -> new SGD(params, 0.2);
        List<List<float[]>> single = ParityFixture.singleDevice(device, ParityFixture.dataset(512, 1), 128, 3, plain, 0.2);
        List<List<float[]>> after = new ArrayList<>();
        SparkTrainer.Result r = fit(trainer(Synchronization.average(1), after), 3, ParityFixture::model, plain, data(512, 128), after);
        try (Layer model = r.model(); var optimizer = r.optimizer()) {
            for (int e = 0; e < 3; e++) {
                ParityFixture.assertClose(single.get(e), after.get(e), 1e-5, "epoch " + (e + 1));
            }
            assertTrue(r.history().get(2).valAccuracy() > 0.9, "validation accuracy " + r.history().get(2).valAccuracy());
        }
    }

    /** Counts training forwards; worker 1 throws on the armed step of the first attempt only. */
    static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
    static final int FAILING_STEP = 3;

    @Test
    void aWorkerThatFailsMidEpochIsRetriedFromTheEpochsStartAndNothingIsLost() {
        List<List<float[]>> clean = new ArrayList<>();
        FAILURES_LEFT.set(0);
        try (var r = closing(fit(trainer(Synchronization.allReduce(), clean), 3, ParityFixture::model, ParityFixture::sgd,
                data(512, 64), clean))) {
            assertTrue(r.result.retried().isEmpty());
        }

        List<List<float[]>> after = new ArrayList<>();
        ModelFactory failing = d -> new FailOnStep(ParityFixture.model(d));
        FAILURES_LEFT.set(0);
        try (var r = closing(fit(SparkTrainer.on(spark).workers(2).epochListener((e, model) -> {
            after.add(ParityFixture.parameters(model));
            if (e.result().epoch() == 0) {
                FAILURES_LEFT.set(1);
            }
        }).build(), 3, failing, ParityFixture::sgd, data(512, 64), after))) {
            assertEquals(0, FAILURES_LEFT.get(), "the fault fired");
            ParallelEpoch retried = r.result.epochs().get(1);
            assertEquals(List.of(retried), r.result.retried(), "epoch 1 was run again");
            assertEquals(2, retried.attempts());
            String why = retried.failures().get(0);
            assertTrue(why.contains("injected fault on worker 1, step " + FAILING_STEP) || why.contains("connection to member 1"), why);
            for (int e = 0; e < 3; e++) {
                ParityFixture.assertClose(clean.get(e), after.get(e), 0, "epoch " + (e + 1) + " after the retry");
            }
        }
    }

    @Test
    void anEpochThatFailsOnEveryAttemptEndsTheRunWithItsReasons() {
        FAILURES_LEFT.set(100);
        ModelFactory failing = d -> new FailOnStep(ParityFixture.model(d));
        var e = assertThrows(SparkTrainingException.class, () -> fit(SparkTrainer.on(spark).workers(2).maxAttempts(2).build(), 1, failing,
                ParityFixture::sgd, data(512, 64), new ArrayList<>()));
        FAILURES_LEFT.set(0);
        assertTrue(e.getMessage().contains("epoch 0 failed 2 times") && (e.getMessage().contains("injected fault") || e.getMessage().contains("connection to member 1")), e.getMessage());
    }

    @Test
    void badConfigurationFailsOnTheDriverBeforeAnyTaskStarts() {
        spark.setJobGroup("bad-configuration", "nothing may run", false);
        try {
            expect(IllegalArgumentException.class, "at least 1 worker", () -> SparkTrainer.on(spark).workers(0).build());
            expect(IllegalArgumentException.class, "has 2 task slots", () -> SparkTrainer.on(spark).workers(3).build());
            SparkTrainer two = SparkTrainer.on(spark).workers(2).build();
            expect(IllegalArgumentException.class, "cannot open the training data", () -> fit(two, 1, ParityFixture::model, ParityFixture::sgd,
                    () -> {
                        throw new java.io.IOException("/data/missing: no such file");
                    }, null));
            expect(IllegalArgumentException.class, "0 samples", () -> fit(two, 1, ParityFixture::model, ParityFixture::sgd,
                    () -> ParityFixture.loader(new InMemoryDataset(new byte[0], Shape.of(1, 4, 4), new byte[0], 4), 8), null));
            expect(IllegalArgumentException.class, "global batch of 1 cannot be split over 2 workers", () -> fit(two, 1, ParityFixture::model,
                    ParityFixture::sgd, data(64, 1), null));
            expect(IllegalArgumentException.class, "samples (1x5x5) do not fit", () -> fit(two, 1, ParityFixture::model, ParityFixture::sgd,
                    () -> ParityFixture.loader(new InMemoryDataset(new byte[8 * 25], Shape.of(1, 5, 5), new byte[8], 4), 8), null));
            expect(IllegalArgumentException.class, "the training data has 10 classes", () -> fit(two, 1, ParityFixture::model,
                    ParityFixture::sgd, () -> ParityFixture.loader(new InMemoryDataset(new byte[8 * 16], Shape.of(1, 4, 4), new byte[8], 10), 8),
                    null));
            assertEquals(0, spark.statusTracker().getJobIdsForGroup("bad-configuration").length, "no Spark job ran");
        } finally {
            spark.clearJobGroup();
        }
    }

    private static void expect(Class<? extends Throwable> type, String text, Executable run) {
        Throwable e = assertThrows(type, run);
        assertTrue(e.getMessage().contains(text), "expected '" + text + "' in: " + e.getMessage());
    }

    private record Closing(SparkTrainer.Result result) implements AutoCloseable {
        @Override
        public void close() {
            result.optimizer().close();
            result.model().close();
        }
    }

    private static Closing closing(SparkTrainer.Result r) {
        return new Closing(r);
    }

    /** A model that throws on training step {@link #FAILING_STEP} of worker 1 while a failure is armed. */
    private static final class FailOnStep implements Layer {
        private final Layer inner;
        private int forwards;

        FailOnStep(Layer inner) {
            this.inner = inner;
        }

        @Override
        public Tensor forward(Tensor input) {
            TaskContext task = TaskContext.get();
            if (task != null && task.partitionId() == 1 && ++forwards == FAILING_STEP && FAILURES_LEFT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("injected fault on worker 1, step " + FAILING_STEP);
            }
            return inner.forward(input);
        }

        @Override
        public Tensor backward(Tensor gradOutput) {
            return inner.backward(gradOutput);
        }

        @Override
        public Tensor backward(Tensor gradOutput, boolean inputGradient) {
            return inner.backward(gradOutput, inputGradient);
        }

        @Override
        public List<Parameter> parameters() {
            return inner.parameters();
        }

        @Override
        public Layer to(Device target) {
            inner.to(target);
            return this;
        }

        @Override
        public LayerSpec spec() {
            return inner.spec();
        }

        @Override
        public void train(boolean training) {
            inner.train(training);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
