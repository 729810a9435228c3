package io.tessera.opencl.jocl.tck;

import io.tessera.Device;
import io.tessera.tck.TensorAlgebraConformanceTest;
import org.junit.jupiter.api.BeforeAll;

/** The conformance kit's {@link TensorAlgebraConformanceTest} on opencl-jocl:0; skipped, with the reason, where OpenCL is absent. */
class JoclTensorAlgebraConformanceTest extends TensorAlgebraConformanceTest {
    @BeforeAll
    static void requireOpenCl() {
        TckDevice.require();
    }

    @Override
    protected Device device() {
        return TckDevice.get();
    }
}
