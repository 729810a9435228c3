package io.tessera.opencl.jocl.tck;

import io.tessera.Device;
import io.tessera.opencl.jocl.GemmVariant;
import io.tessera.opencl.jocl.TestDevices;
import io.tessera.tck.GemmConformanceTest;
import org.junit.jupiter.api.BeforeAll;

/**
 * The kit's {@link GemmConformanceTest} on opencl-jocl:0 forced to the GPU-shaped SGEMM (local-memory tiles), so that
 * kernel is checked on PoCL too; on a GPU machine this is the other way round.
 */
class JoclGpuGemmConformanceTest extends GemmConformanceTest {
    private static Device device;

    @BeforeAll
    static void requireOpenCl() {
        TckDevice.require();
        device = TestDevices.withGemm(GemmVariant.GPU);
    }

    @Override
    protected Device device() {
        return device;
    }
}
