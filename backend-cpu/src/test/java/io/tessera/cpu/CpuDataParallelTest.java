package io.tessera.cpu;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.data.InMemoryDataset;
import io.tessera.optim.SGD;
import io.tessera.parallel.OptimizerFactory;
import io.tessera.parallel.ParityFixture;
import io.tessera.parallel.Synchronization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        Synchronization sync = mode.equals("average") ? Synchronization.average(1) : Synchronization.allReduce();
        List<List<float[]>> after = ParityFixture.inProcess(List.of(cpu, cpu), sync, data, 128, 3, plain, 0.2);
        for (int e = 0; e < 3; e++) {
            ParityFixture.assertClose(single.get(e), after.get(e), 1e-5, mode + ", epoch " + (e + 1));
        }
    }
}
