package io.tessera.opencl.jocl.tck;

import io.tessera.Device;
import io.tessera.tck.ConformanceKit;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole conformance kit on {@code opencl-jocl:0}; skipped, with the reason, where OpenCL is absent. The GPU-shaped
 * GEMM and convolution kernels run the kit's classes for them once more ({@link JoclGpuGemmConformanceTest},
 * {@link JoclGpuConvolutionConformanceTest}).
 */
class JoclConformanceTest extends ConformanceKit {
    @BeforeAll
    static void requireOpenCl() {
        TckDevice.require();
    }

    @Override
    protected Device device() {
        return TckDevice.get();
    }
}
