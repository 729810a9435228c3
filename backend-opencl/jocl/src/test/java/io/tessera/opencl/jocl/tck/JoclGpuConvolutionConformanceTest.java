package io.tessera.opencl.jocl.tck;

import io.tessera.Device;
import io.tessera.opencl.jocl.GemmVariant;
import io.tessera.opencl.jocl.TestDevices;
import io.tessera.tck.ConvolutionConformanceTest;
import org.junit.jupiter.api.BeforeAll;

/**
 * The kit's {@link ConvolutionConformanceTest} on opencl-jocl:0 forced to the GPU-shaped SGEMM, so the convolution's
 * im2col + GEMM path is checked with the local-memory-tiled kernel on PoCL too; on a GPU machine this is the other way
 * round.
 */
class JoclGpuConvolutionConformanceTest extends ConvolutionConformanceTest {
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
