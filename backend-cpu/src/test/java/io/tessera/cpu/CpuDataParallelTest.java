package io.tessera.cpu;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.data.DeviceDataLoader;
import io.tessera.data.InMemoryDataset;
import io.tessera.nn.Layer;
import io.tessera.optim.LearningRateSchedule;
import io.tessera.optim.SGD;
import io.tessera.parallel.DataParallel;
import io.tessera.parallel.OptimizerFactory;
import io.tessera.parallel.ParityFixture;
import io.tessera.parallel.Synchronization;
import io.tessera.train.EpochResult;
import io.tessera.train.TrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

/** Two replicas on the one {@code cpu} device (taking turns on it) train as one device with the global batch. */
class CpuDataParallelTest {
    private final Device cpu = Devices.get("cpu");

    @ParameterizedTest
    @ValueSource(strings = {"allreduce", "average"})
    void twoConcurrentCpuReplicasMatchOneDevice(String mode) {
        OptimizerFactory plain = params -> new SGD(params, 0.2);
        InMemoryDataset data = ParityFixture.dataset(1024, 1);
        List<List<float[]>> single = ParityFixture.singleDevice(cpu, data, 128, 3, plain, 0.2);
        List<List<float[]>> after = new ArrayList<>();
        List<Layer> replica = new ArrayList<>();
        Synchronization sync = mode.equals("average") ? Synchronization.average(1) : Synchronization.allReduce();
        try (DeviceDataLoader val = new DeviceDataLoader(ParityFixture.loader(data, 128), cpu)) {
            DataParallel.Result r = new DataParallel(List.of(cpu, cpu), sync).addListener(new TrainingListener() {
                @Override
                public void onEpochEnd(EpochResult result) {
                    after.add(ParityFixture.parameters(replica.get(0)));
                }
            }).fit(3, 0.2, device -> {
                Layer m = ParityFixture.model(device);
                if (replica.isEmpty()) {
                    replica.add(m);
                }
                return m;
            }, plain, ParityFixture.loader(data, 128), val, LearningRateSchedule.constant());
            r.optimizer().close();
            r.model().close();
        }
        for (int e = 0; e < 3; e++) {
            ParityFixture.assertClose(single.get(e), after.get(e), 1e-5, mode + ", epoch " + (e + 1));
        }
    }
}
