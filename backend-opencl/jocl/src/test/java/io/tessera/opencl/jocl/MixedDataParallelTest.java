package io.tessera.opencl.jocl;

import io.tessera.Device;
import io.tessera.data.InMemoryDataset;
import io.tessera.parallel.ParityFixture;
import io.tessera.parallel.Synchronization;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One replica on the host, one on an OpenCL device, in one process: the same parameters as one device with the global batch. */
class MixedDataParallelTest {

    @Test
    void aHostAndAnOpenClReplicaTrainAsOneDevice() {
        Device gpu = OpenCl.device();
        Device host = new ReferenceDevice("host");
        InMemoryDataset data = ParityFixture.dataset(512, 1);
        List<List<float[]>> single = ParityFixture.singleDevice(host, data, 128, 3, ParityFixture::sgd, 0.2);
        List<List<float[]>> mixed = ParityFixture.inProcess(List.of(host, gpu), Synchronization.allReduce(), data, 128, 3, ParityFixture::sgd, 0.2);
        for (int e = 0; e < 3; e++) {
            ParityFixture.assertClose(single.get(e), mixed.get(e), 1e-5, "epoch " + (e + 1) + " (4 steps each)");
        }
        assertEquals(0, gpu.liveAllocations(), "the OpenCL replica is closed");
    }
}
